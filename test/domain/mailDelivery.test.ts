import fc from 'fast-check';
import { DELIVERY_STATES, type DeliveryState } from '../../src/contract/vocabulary';
import {
  POSTMARK_BOUNCE_TYPES,
  type Delivery,
  deliveryView,
  isPermanentFailure,
  mergeDelivery,
  sameDelivery,
  withoutAddresses,
} from '../../src/domain/mailDelivery';

/** What a reset email's delivery means (src/domain/mailDelivery.ts): pure, no stack. */

const t = (s: number) => new Date(Date.UTC(2026, 2, 1, 12, 0, s));
const d = (state: DeliveryState, at: Date | null = null, extra: Partial<Delivery> = {}): Delivery =>
  ({ state, at, detail: null, bounceType: null, ...extra });
const bounce = (bounceType: string, at = t(10)) => d('bounced', at, { bounceType, detail: 'provider text' });

describe('isPermanentFailure', () => {
  const PERMANENT = ['HardBounce', 'BadEmailAddress', 'ManuallyDeactivated', 'SpamNotification', 'SpamComplaint'];

  it.each(PERMANENT)('a %s bounce ends the link', (type) => {
    expect(isPermanentFailure({ state: 'bounced', bounceType: type })).toBe(true);
  });

  it('every other Postmark bounce type leaves the link pending (the email may still arrive)', () => {
    const others = Object.keys(POSTMARK_BOUNCE_TYPES).filter((k) => !PERMANENT.includes(k));
    expect(others).toEqual(expect.arrayContaining(['SoftBounce', 'Transient', 'DnsError', 'AutoResponder', 'Blocked', 'Unknown']));
    for (const type of others) expect([type, isPermanentFailure({ state: 'bounced', bounceType: type })]).toEqual([type, false]);
  });

  it('a bounce without a type, with an unknown one or with another spelling is not permanent', () => {
    expect(isPermanentFailure({ state: 'bounced' })).toBe(false);
    expect(isPermanentFailure({ state: 'bounced', bounceType: null })).toBe(false);
    expect(isPermanentFailure({ state: 'bounced', bounceType: '' })).toBe(false);
    expect(isPermanentFailure({ state: 'bounced', bounceType: 'hardbounce' })).toBe(false);
    expect(isPermanentFailure({ state: 'bounced', bounceType: 'NoSuchType' })).toBe(false);
  });

  it('a complaint is permanent whatever its type; the bounce type matters only for a bounce', () => {
    expect(isPermanentFailure({ state: 'complained' })).toBe(true);
    expect(isPermanentFailure({ state: 'complained', bounceType: 'SoftBounce' })).toBe(true);
    for (const state of ['pending', 'sent', 'delivered', 'failed'] as const) {
      expect([state, isPermanentFailure({ state, bounceType: 'HardBounce' })]).toEqual([state, false]);
    }
  });

  it('Postmark\'s type codes are its documented ones', () => {
    expect(POSTMARK_BOUNCE_TYPES.HardBounce.code).toBe(1);
    expect(POSTMARK_BOUNCE_TYPES.SoftBounce.code).toBe(4096);
    expect(POSTMARK_BOUNCE_TYPES.SpamComplaint.code).toBe(100001);
    const codes = Object.values(POSTMARK_BOUNCE_TYPES).map((b) => b.code);
    expect(new Set(codes).size).toBe(codes.length);
  });
});

describe('withoutAddresses', () => {
  it('replaces every address a provider text quotes, in any punctuation', () => {
    expect(withoutAddresses('550 5.1.1 <jane.doe+reset@example.com>: no such user')).toBe('550 5.1.1 <[address]>: no such user');
    expect(withoutAddresses('to jane@example.com, bob@mail.example.org; "eve@x.io"')).toBe('to [address], [address]; "[address]"');
    expect(withoutAddresses('(user@host) [a@b]')).toBe('([address]) [[address]]');
  });

  it('leaves a text without an address as it is', () => {
    expect(withoutAddresses('421 try again later')).toBe('421 try again later');
    expect(withoutAddresses('')).toBe('');
    expect(withoutAddresses('a lone @ sign, and trailing@')).toBe('a lone @ sign, and trailing@');
  });

  it('removes any ordinary address, whatever text surrounds it', () => {
    const ordinary = fc.emailAddress().filter((e) => /^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+$/.test(e));
    fc.assert(fc.property(ordinary, fc.string(), fc.string(), (email, before, after) => {
      const out = withoutAddresses(`${before} ${email} ${after}`);
      expect(out).not.toContain(email);
      expect(out).toContain('[address]');
    }));
  });
});

describe('mergeDelivery', () => {
  const pending = d('pending');
  const sent = d('sent', t(0));
  const delivered = d('delivered', t(5), { detail: 'smtp;250 ok' });
  const soft = bounce('SoftBounce', t(7));
  const hard = bounce('HardBounce', t(8));
  const complained = d('complained', t(9), { bounceType: 'SpamComplaint' });
  const failed = d('failed', t(1), { detail: 'inactive recipient' });

  it('"sent" follows "pending" only: a report that overtook the hand-over is not undone', () => {
    expect(mergeDelivery(pending, sent)).toBe(sent);
    expect(mergeDelivery(delivered, sent)).toBe(delivered);
    expect(mergeDelivery(soft, sent)).toBe(soft);
    expect(mergeDelivery(sent, d('sent', t(3)))).toBe(sent);
  });

  it('"pending" never replaces anything', () => {
    for (const current of [pending, sent, delivered, soft, hard, complained, failed]) expect(mergeDelivery(current, pending)).toBe(current);
  });

  it('a settled delivery (refused, hard bounce, complaint) stays whatever comes after', () => {
    for (const settled of [hard, complained, failed]) {
      for (const next of [sent, delivered, soft, d('delivered', t(59)), bounce('HardBounce', t(59)), d('complained', t(59))]) {
        expect(mergeDelivery(settled, next)).toBe(settled);
      }
    }
  });

  it('of two provider reports, the later one wins, whichever arrives last', () => {
    const lateSoft = bounce('SoftBounce', t(20));
    expect(mergeDelivery(delivered, lateSoft)).toBe(lateSoft);
    expect(mergeDelivery(lateSoft, delivered)).toBe(lateSoft);
    expect(mergeDelivery(soft, delivered)).toBe(soft);
  });

  it('a report at the same instant replaces the current one (only a strictly earlier one is ignored)', () => {
    const sameTime = bounce('SoftBounce', delivered.at!);
    expect(mergeDelivery(delivered, sameTime)).toBe(sameTime);
  });

  it('a settled report wins even when it is older than what is known', () => {
    const lateDelivered = d('delivered', t(30));
    expect(mergeDelivery(lateDelivered, hard)).toBe(hard);
    expect(mergeDelivery(lateDelivered, complained)).toBe(complained);
  });

  it('a report without a time cannot be ordered, so it replaces the current report', () => {
    const untimed = d('delivered', null);
    expect(mergeDelivery(soft, untimed)).toBe(untimed);
    const timed = bounce('SoftBounce', t(1));
    expect(mergeDelivery(untimed, timed)).toBe(timed);
  });

  it('replaces "sent" and "pending" with any report, whatever its time', () => {
    expect(mergeDelivery(d('sent', t(50)), delivered)).toBe(delivered);
    expect(mergeDelivery(pending, delivered)).toBe(delivered);
    expect(mergeDelivery(pending, failed)).toBe(failed);
  });

  const arbDelivery: fc.Arbitrary<Delivery> = fc.record({
    state: fc.constantFrom(...DELIVERY_STATES),
    at: fc.option(fc.integer({ min: 0, max: 60 }).map(t), { nil: null }),
    detail: fc.option(fc.constantFrom('a', 'b'), { nil: null }),
    bounceType: fc.option(fc.constantFrom('HardBounce', 'SoftBounce', 'Transient', 'SpamComplaint'), { nil: null }),
  });

  it('applying the same report twice gives the same result as once', () => {
    fc.assert(fc.property(arbDelivery, arbDelivery, (current, next) => {
      const once = mergeDelivery(current, next);
      expect(sameDelivery(mergeDelivery(once, next), once)).toBe(true);
    }));
  });

  it('the result is always one of the two deliveries', () => {
    fc.assert(fc.property(arbDelivery, arbDelivery, (current, next) => {
      expect([current, next]).toContain(mergeDelivery(current, next));
    }));
  });
});

describe('sameDelivery', () => {
  it('compares every field, times by instant', () => {
    const a = d('bounced', t(1), { detail: 'x', bounceType: 'SoftBounce' });
    expect(sameDelivery(a, { ...a, at: new Date(t(1).getTime()) })).toBe(true);
    expect(sameDelivery(a, { ...a, at: t(2) })).toBe(false);
    expect(sameDelivery(a, { ...a, at: null })).toBe(false);
    expect(sameDelivery(a, { ...a, state: 'complained' })).toBe(false);
    expect(sameDelivery(a, { ...a, detail: null })).toBe(false);
    expect(sameDelivery(a, { ...a, bounceType: 'HardBounce' })).toBe(false);
    expect(sameDelivery(d('pending'), d('pending'))).toBe(true);
  });
});

describe('deliveryView', () => {
  it('shows only what is known, with times in ISO 8601', () => {
    expect(deliveryView(d('pending'))).toEqual({ state: 'pending' });
    expect(deliveryView(d('bounced', t(3), { detail: 'mailbox full', bounceType: 'SoftBounce' })))
      .toEqual({ state: 'bounced', at: '2026-03-01T12:00:03.000Z', detail: 'mailbox full', bounceType: 'SoftBounce' });
  });

  it('leaves an empty detail or bounce type out rather than showing an empty string', () => {
    const view = deliveryView(d('delivered', t(0), { detail: '', bounceType: '' }));
    expect(view).toEqual({ state: 'delivered', at: '2026-03-01T12:00:00.000Z' });
    expect(Object.keys(view)).toEqual(['state', 'at']);
  });
});
