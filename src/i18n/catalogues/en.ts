/**
 * English: the reference catalogue. Every other language has exactly these keys
 * (the type `Catalogue` makes a missing or extra key a compile error;
 * test/i18n.test.ts also fails on a key no code uses). Messages are ICU
 * MessageFormat (intl-messageformat): `{name}` arguments, `{n, plural, …}`.
 * Emails' texts become the built-in Mustache templates (src/mail/emailTemplates.ts):
 * their arguments there are `{{variables}}`.
 */
export const en = {
  // durations, for "the link works for …"
  'duration.minutes': '{count, plural, one {# minute} other {# minutes}}',
  'duration.hours': '{count, plural, one {# hour} other {# hours}}',
  'duration.days': '{count, plural, one {# day} other {# days}}',

  // every email
  'email.greeting': 'Hello,',
  'email.greetingNamed': 'Hello {name},',
  'email.footer.automatic': 'This is an automatic message from {product}. Replies are not read.',
  'email.footer.support': 'Questions? Write to {email}.',
  'email.report.hint': 'If this was not you, tell us at once: the password is locked and every session ends.',
  'email.report.action': 'This wasn’t me',
  // password_reset_link
  'email.resetLink.subject': 'Reset your {product} password',
  'email.resetLink.intro': 'Someone asked to reset the password of your {product} account ({email}).',
  'email.resetLink.action': 'Choose a new password',
  'email.resetLink.validity': 'The link works once, for {expiresIn} (until {expiresAt}).',
  'email.resetLink.ignore': 'If you did not ask for this, ignore this email: your password stays as it is.',
  // temporary_password_set
  'email.temporaryPassword.subject': 'Your administrator set a temporary password for {product}',
  'email.temporaryPassword.intro': 'Your administrator set a temporary password for your {product} account ({email}).',
  'email.temporaryPassword.channel': 'They will give it to you over a secure channel; it is never sent by email.',
  'email.temporaryPassword.mustChange': 'You will be asked to choose your own password when you next sign in.',
  'email.temporaryPassword.unexpected': 'If you did not expect this, contact your administrator.',
  // password_changed
  'email.passwordChanged.subject': 'Your {product} password was changed',
  'email.passwordChanged.intro': 'The password of your {product} account ({email}) was changed on {changedAt}.',
  'email.passwordChanged.ifYou': 'If this was you, there is nothing to do.',
  'email.passwordChanged.notYou': 'If this was not you, contact your administrator at once.',

  // every page
  'page.support': 'Need help? Write to {email}.',
  'page.unknownTenant.title': 'Unknown organisation',
  'page.unknownTenant.text': 'This address does not name an organisation we know. Use the sign-in link your organisation gave you.',
  'page.refused.title': 'Refused',
  'page.refused.text': 'This form was sent from another site.',
  'field.email': 'Email address',
  'field.password': 'Password',
  'field.newPassword': 'New password',
  'field.confirmPassword': 'Confirm new password',
  'password.hint': 'At least {min, plural, one {# character} other {# characters}}. A few unrelated words make a strong password that is easy to remember.',
  'password.hintHistory': 'At least {min, plural, one {# character} other {# characters}}, and none of your last {history, plural, one {password} other {# passwords}}. A few unrelated words make a strong password that is easy to remember.',
  'password.chooseTitle': 'Choose a new password',
  'error.enterEmail': 'Enter your email address.',
  'error.enterPassword': 'Enter your password.',
  'error.enterNewPassword': 'Enter a new password.',
  'error.passwordsDiffer': 'The two passwords are not the same. Type the new password again.',
  'error.fillMarked': 'Fill in the fields marked below.',
  'error.notChanged': 'The password was not changed. Correct the field marked below.',

  // sign-in, forced change, signed in
  'signIn.title': 'Sign in',
  'signIn.to': 'to {tenant}',
  'signIn.submit': 'Sign in',
  'signIn.signedOut': 'You are signed out.',
  'signIn.forgot': 'Forgot your password?',
  'signIn.again': 'Sign in again',
  'signIn.incomplete': 'The form was not complete.',
  'change.reason.temporary_password': 'Your administrator gave you a temporary password. Choose your own password to continue.',
  'change.reason.admin_forced': 'Your administrator asks you to choose a new password before you continue.',
  'change.reason.scheduled_rotation': 'Your organisation asks you to change your password from time to time, and it is time now. Choose a new password to continue.',
  'change.reason.breached_password': 'Your password is correct, but it appears in a list of passwords exposed in data breaches on other websites, so attackers may try it. Choose a new password, one you have not used anywhere else, to continue.',
  'change.submit': 'Change password and sign in',
  'signedIn.title': 'You are signed in',
  'signedIn.welcome': 'Welcome, {name}. You are signed in to {tenant} as {email}.',
  'signedIn.hint': 'This page stands in for the application you signed in to.',
  'signedIn.signOut': 'Sign out',
  'notSignedIn.title': 'You are not signed in',
  'notSignedIn.ended': 'Your session has ended: it expired, you signed out, or an administrator signed you out.',
  'notSignedIn.none': 'You have no session here.',

  // forgot password
  'forgot.title': 'Forgot your password?',
  'forgot.intro': 'Enter the email address of your account. If the account has a password, we email you a link to choose a new one.',
  'forgot.submit': 'Email me a link',
  'forgot.sent.title': 'Check your email',
  'forgot.sent.text': 'If {email} belongs to an account with a password, a link to choose a new one is on its way. It works for a limited time, once.',
  'forgot.back': 'Back to sign in',

  // reset link page
  'reset.for': 'For {email} at {tenant}.',
  'reset.submit': 'Set new password',
  'reset.done.title': 'Password changed',
  'reset.done.text': 'Your new password is set. Sign in with it from now on; devices where you are signed in stay signed in.',
  'reset.invalidForm.title': 'Something went wrong',
  'reset.invalidForm.text': 'The form was not complete. Open the link from your email again.',

  // refusals (problem codes) as the pages say them
  'problem.invalid_token.title': 'Invalid link',
  'problem.invalid_token.text': 'The link is incomplete or unknown.',
  'problem.invalid_token.next': 'Open the link from the email again, or copy the whole link into the address bar.',
  'problem.link_expired.title': 'Link expired',
  'problem.link_expired.text': 'The link was valid until a time that has passed.',
  'problem.link_expired.next': 'Reset links work for a limited time, and nothing was changed. Ask for a new link.',
  'problem.link_used.title': 'Link no longer valid',
  'problem.link_used.text': 'The link no longer works.',
  'problem.link_used.next': 'Each link works once, and only the newest link sent to you works. If you already chose a new password, sign in with it.',
  'problem.token_expired': 'This step took too long. Sign in again to choose your new password.',
  'problem.invalid_change': 'This step is no longer valid. Sign in again.',
  'problem.token_used': 'This step is already finished. Sign in again.',
  'problem.rate_limited': 'Too many attempts. Try again in {seconds, plural, one {# second} other {# seconds}}.',
  'problem.invalid_credentials': 'The email address or the password is not right.',
  'problem.temporary_password_expired': 'Your temporary password has expired. Ask your administrator for a new one.',
  'problem.other.title': 'Something went wrong',
  'problem.other.text': 'Your request could not be completed. Try again in a moment.',

  // the password policy's rules
  'policy.min_length': 'Use at least {min, plural, one {# character} other {# characters}}.',
  'policy.max_length': 'Use at most {max, plural, one {# character} other {# characters}}.',
  'policy.common_password': 'This password is too common or too easy to guess (a known password, a word with digits, a keyboard pattern or a repetition). A few unrelated words make a strong one.',
  'policy.personal_info': 'Do not use your email address, your name or the organisation name in the password.',
  'policy.reused': 'Choose a password you have not used for your last {history, plural, one {password} other {# passwords}}.',
  'policy.breached': 'This password appears in a list of passwords exposed in data breaches, so attackers try it. Choose another one.',

  // "this wasn't me": the page of a password-change notice's report link
  'report.title': 'Was this you?',
  'report.text': 'The password of {email} at {tenant} was changed on {changedAt}.',
  'report.effect': 'If you did not change it, lock that password now: it stops working, every device signed in to your account is signed out, and pending reset links stop working. Your administrator can then send you a new reset link or set a temporary password.',
  'report.submit': 'This wasn’t me: lock the password',
  'report.ifYou': 'If it was you, close this page: nothing changes.',
  'report.done.title': 'Password locked',
  'report.done.text': 'The password can no longer be used and every session has ended. Ask your administrator for a new reset link or a temporary password.',
  'report.refused.next': 'If you think someone else changed your password, contact your administrator.',
} as const;

export type MessageKey = keyof typeof en;
/** Every language: the same keys as English, each a message. */
export type Catalogue = { readonly [K in MessageKey]: string };
