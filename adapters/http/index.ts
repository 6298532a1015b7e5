export { createHttpApp, type HttpApp, type HttpAppOptions } from './app';
export { startHttpsServer, closeOnSignals, type RunningServer, type ServerTls, type StartOptions } from './server';
export { buildOpenApi } from './openapi';
export * from './ports';
export { serveHttps, serverTlsFromConfig, type ServeOptions } from './serve';
export { corePorts, intakePort, coreDeliveries, coreGauges, coreReadiness, ruleErrorsOf, type CorePortsOptions } from './core-ports';
export { coreSamples } from './core-samples';
export { coreObligations, obligationJson } from './core-obligations';
export type * from './obligation-ports';
