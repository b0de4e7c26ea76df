/** The importers behind `sentinel import pm2|supervisord|launchd`. */
export { importPm2Data, importPm2File } from './pm2';
export { importSupervisord, importSupervisordFiles } from './supervisord';
export { importLaunchd } from './launchd';
export { toYaml } from './to-yaml';
export { ImportError, type ImportResult } from './import-result';
export { importFiles, joinResults, type ImportKind } from './import-files';
