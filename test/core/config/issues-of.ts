import { ConfigError, loadConfigText, type ConfigIssue } from '../../../src-main/core/config/load';

/** The issues a config text is refused with; a text that loads fails the test, naming the text. */
export function issuesOf(text: string): ConfigIssue[] {
  try {
    loadConfigText(text, 'test.yaml');
  } catch (err) {
    if (err instanceof ConfigError) return err.issues;
    throw err;
  }
  throw new Error(`expected the config to be invalid:\n${text}`);
}
