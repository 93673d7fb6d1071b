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
  /** Development only: folders the API writes email and text messages to, shown at /dev/messages. */
  devMailDir: string | undefined;
  devSmsDir: string | undefined;
  /** Show the demo accounts on the start page. */
  demo: boolean;
  /** Express's `trust proxy`: which proxies' X-Forwarded-For to believe (`loopback` by default). */
  trustProxy: string | boolean;
}

const DEV_SECRET = 'fairshare-web-development-secret-not-for-production';

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
    demo: dev && env.FAIRSHARE_DEMO === 'true',
    trustProxy: env.FAIRSHARE_WEB_TRUST_PROXY === 'true' ? true : (env.FAIRSHARE_WEB_TRUST_PROXY ?? 'loopback'),
  };
}
