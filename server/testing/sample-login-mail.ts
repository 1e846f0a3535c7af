import type { LoginMail } from '../mail/types.ts';

/** A login mail as the service hands it over, for the mailer tests (over SMTP and in the worker). */
export const sampleMail: LoginMail = {
  to: 'bob@example.org',
  locale: 'en',
  code: '730164',
  link: 'http://localhost:3000/auth/link#pl_token=Zm9vYmFyYmF6cXV4cXV1eGNvcmdl',
  expiresInMinutes: 10,
};

export const sampleFrom = 'Sign-in <no-reply@auth.example.com>';
