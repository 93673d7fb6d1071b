// Starts the web server: configuration, the app, listen.
import { createApp } from './app.js';
import { loadConfig } from './config.js';
import { logger } from './lib/log.js';

const config = loadConfig();
const app = createApp({ config });
const server = app.listen(config.port, config.host, () => {
  logger.info('web server listening', { url: `http://${config.host}:${config.port}`, api: config.apiUrl });
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
