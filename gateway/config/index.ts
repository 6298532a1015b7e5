export { SETTINGS, SETTING_VARIABLES, parseListen, settingsTable, type Setting, type ListenAddress } from './settings';
export { readGatewayConfig, describeConfig, type GatewayConfig, type HttpLimits, type ConfigProblem, type EmailConfig } from './read-config';
export { parseImapUrl, parseSmtpUrl, parseMailAddress, parseSharePercent, type ImapTarget, type SmtpTarget } from './mail-settings';
