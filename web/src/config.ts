// One typed configuration, read once from the environment. The defaults run
// on a laptop next to `fairshare demo`.
export interface Config {
  /** Where this server listens. */
  host: string;
  port: number;
  /** The API's base address, e.g. http://127.0.0.1:8081 (no trailing slash). */
  apiUrl: string;
  /** development or production. */
  environment: 'development' | 'production';
  /** Key for the CSRF tokens' HMAC: at least 32 characters in production. */
  secret: string;
  /** Mark cookies Secure. Browsers accept Secure cookies on http://localhost and 127.0.0.1. */
  secureCookies: boolean;
  /** The council's name, shown in the header and page titles, in English and in Welsh. */
  councilName: string;
  councilNameCy: string;
  /** The service's name, in English and in Welsh. */
  serviceName: string;
  serviceNameCy: string;
  /** Forward /graphql and /health to the API (the demo's one address). */
  forwardApi: boolean;
  /** Development only: folders the API writes email and text messages and letters to, shown at /dev/messages. */
  devMailDir: string | undefined;
  devSmsDir: string | undefined;
  devLetterDir: string | undefined;
  /** Show the demo accounts on the start page. */
  demo: boolean;
  /** Express's `trust proxy`: which proxies' X-Forwarded-For to believe (`loopback` by default). */
  trustProxy: string | boolean;
  /** How people reach the council: the numbers are the ones the API gives in letters, texts and calls. */
  contact: Contact;
  /** Days verification data is kept after a round is published or cancelled: the API's setting, told in the privacy notice. */
  verificationRetentionDays: number;
}

export interface Contact {
  /** The council's help line. */
  helpLine: string;
  /** The number people text their voting code to. */
  smsNumber: string;
  /** The number people call to vote on their telephone keypad. */
  voiceNumber: string;
  /** The address people email for help. */
  helpEmail: string;
  /** Where and when people can be checked in person or get help voting on paper, in English and in Welsh. */
  inPersonPlaces: string;
  inPersonPlacesCy: string;
}

const DEV_SECRET = 'fairshare-web-development-secret-not-for-production';

/** A variable's value, or `fallback` when it is unset or empty (as the API reads them). */
function text(value: string | undefined, fallback: string): string {
  const trimmed = value?.trim();
  return trimmed ? trimmed : fallback;
}

/** FAIRSHARE_VERIFICATION_RETENTION_DAYS: a whole number of days, 90 unless set; the API refuses anything else, and so do we. */
function retentionDays(value: string | undefined): number {
  const raw = value?.trim();
  if (!raw) return 90;
  if (!/^\d+$/.test(raw) || Number(raw) > 65535) {
    throw new Error('FAIRSHARE_VERIFICATION_RETENTION_DAYS must be a whole number of days');
  }
  return Number(raw);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const environment = env.NODE_ENV === 'production' || env.FAIRSHARE_ENV === 'production' ? 'production' : 'development';
  const secret = env.FAIRSHARE_WEB_SECRET ?? (environment === 'production' ? '' : DEV_SECRET);
  if (secret.length < 32) {
    throw new Error('FAIRSHARE_WEB_SECRET must be set to at least 32 characters in production');
  }
  const dev = environment === 'development';
  return {
    host: env.FAIRSHARE_WEB_HOST ?? '127.0.0.1',
    port: Number(env.FAIRSHARE_WEB_PORT ?? 8080),
    apiUrl: (env.FAIRSHARE_API_URL ?? 'http://127.0.0.1:8081').replace(/\/+$/, ''),
    environment,
    secret,
    secureCookies: env.FAIRSHARE_WEB_INSECURE_COOKIES !== 'true',
    councilName: env.FAIRSHARE_COUNCIL_NAME ?? 'Leeds Demo Council',
    councilNameCy: env.FAIRSHARE_COUNCIL_NAME_CY ?? env.FAIRSHARE_COUNCIL_NAME ?? 'Cyngor Arddangos Leeds',
    serviceName: env.FAIRSHARE_SERVICE_NAME ?? 'Neighbourhood Fund',
    serviceNameCy: env.FAIRSHARE_SERVICE_NAME_CY ?? env.FAIRSHARE_SERVICE_NAME ?? 'Cronfa Cymdogaethau',
    forwardApi: env.FAIRSHARE_WEB_FORWARD_API === 'true',
    devMailDir: dev ? env.FAIRSHARE_MAIL_DIR : undefined,
    devSmsDir: dev ? env.FAIRSHARE_SMS_DIR : undefined,
    devLetterDir: dev ? env.FAIRSHARE_LETTER_DIR : undefined,
    demo: dev && env.FAIRSHARE_DEMO === 'true',
    trustProxy: env.FAIRSHARE_WEB_TRUST_PROXY === 'true' ? true : (env.FAIRSHARE_WEB_TRUST_PROXY ?? 'loopback'),
    contact: {
      helpLine: text(env.FAIRSHARE_HELP_LINE, '0113 496 0000'),
      smsNumber: text(env.FAIRSHARE_SMS_NUMBER, '07700 900123'),
      voiceNumber: text(env.FAIRSHARE_VOICE_NUMBER, '0113 496 0123'),
      helpEmail: text(env.FAIRSHARE_HELP_EMAIL, 'help@demo.fairshare.localhost'),
      inPersonPlaces: text(env.FAIRSHARE_IN_PERSON_PLACES, 'Any council library or community hub, Monday to Friday 9am to 5pm'),
      inPersonPlacesCy: text(
        env.FAIRSHARE_IN_PERSON_PLACES_CY,
        text(env.FAIRSHARE_IN_PERSON_PLACES, 'Unrhyw un o lyfrgelloedd neu hybiau cymunedol y cyngor, dydd Llun i ddydd Gwener 9am i 5pm'),
      ),
    },
    verificationRetentionDays: retentionDays(env.FAIRSHARE_VERIFICATION_RETENTION_DAYS),
  };
}
