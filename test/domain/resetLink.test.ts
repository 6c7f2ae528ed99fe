import { effectiveResetState } from '../../src/domain/resetLink';
import { RESET_STATES } from '../../src/contract/vocabulary';

/** When a reset link counts as expired (src/domain/resetLink.ts): pure, no stack. */
describe('effectiveResetState', () => {
  const expiresAt = new Date('2026-03-01T12:00:00.000Z');
  const at = (ms: number) => new Date(expiresAt.getTime() + ms);

  it('keeps a pending link pending until its last millisecond', () => {
    expect(effectiveResetState({ state: 'pending', expiresAt }, at(-1))).toBe('pending');
    expect(effectiveResetState({ state: 'pending', expiresAt }, at(-86_400_000))).toBe('pending');
  });

  it('expires a pending link at the very instant of its expiry (the boundary is inclusive), and after', () => {
    expect(effectiveResetState({ state: 'pending', expiresAt }, at(0))).toBe('expired');
    expect(effectiveResetState({ state: 'pending', expiresAt }, at(1))).toBe('expired');
    expect(effectiveResetState({ state: 'pending', expiresAt }, at(365 * 86_400_000))).toBe('expired');
  });

  it.each(RESET_STATES.filter((s) => s !== 'pending'))('never changes a link already ended (%s), before or after its expiry', (state) => {
    expect(effectiveResetState({ state, expiresAt }, at(-1))).toBe(state);
    expect(effectiveResetState({ state, expiresAt }, at(0))).toBe(state);
    expect(effectiveResetState({ state, expiresAt }, at(1))).toBe(state);
  });

  it('compares instants, not wall-clock text: the same instant in another offset is the boundary too', () => {
    expect(effectiveResetState({ state: 'pending', expiresAt }, new Date('2026-03-01T13:00:00.000+01:00'))).toBe('expired');
    expect(effectiveResetState({ state: 'pending', expiresAt }, new Date('2026-03-01T12:59:59.999+01:00'))).toBe('pending');
  });
});
