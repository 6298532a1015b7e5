export { SETTINGS, SETTING_VARIABLES, parseListen, settingsTable, type Setting, type ListenAddress } from './settings';
export { readGatewayConfig, describeConfig, type GatewayConfig, type HttpLimits, type ConfigProblem, type EmailConfig } from './read-config';
export { parseImapUrl, parseSmtpUrl, parseMailAddress, parseSharePercent, type ImapTarget, type SmtpTarget } from './mail-settings';
export { CONSOLE_DEFAULTS, DEFAULT_CONSOLE_LANGUAGE, parseOnOff, parseConsoleLanguage, type ConsoleSettings, type ContactSettings, type ConsoleLanguage } from './console-settings';
