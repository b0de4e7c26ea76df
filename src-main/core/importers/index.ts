/** The importers behind `sentinel import pm2|supervisord|launchd`. */
export { importPm2 } from './pm2';
export { importSupervisord } from './supervisord';
export { importLaunchd, importLaunchdMany } from './launchd';
export { toYaml } from './to-yaml';
export { ImportError, type ImportResult } from './import-result';
export { importFiles } from './import-files';
