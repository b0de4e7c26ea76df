/** The importers behind `sentinel import pm2|supervisord|launchd`. */
export { importPm2, importPm2Data, importPm2File, type Pm2ImportOptions } from './pm2';
export {
  importSupervisord,
  importSupervisordFiles,
  importSupervisordSections,
  type SupervisordImportOptions,
} from './supervisord';
export { importLaunchd, importLaunchdMany } from './launchd';
export { toYaml } from './to-yaml';
export { ImportError, type ImportResult } from './import-result';
export { importFiles, joinResults, IMPORT_KINDS, type ImportKind, type ImportOptions } from './import-files';
