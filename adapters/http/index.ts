export { createHttpApp, type HttpApp, type HttpAppOptions } from './app';
export { startHttpsServer, closeOnSignals, type RunningServer, type ServerTls, type StartOptions } from './server';
export { buildOpenApi } from './openapi';
export * from './ports';
