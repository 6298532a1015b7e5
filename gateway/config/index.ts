export { SETTINGS, SETTING_VARIABLES, parseListen, settingsTable, type Setting, type ListenAddress } from './settings';
export { readGatewayConfig, describeConfig, type GatewayConfig, type HttpLimits, type ConfigProblem } from './read-config';
