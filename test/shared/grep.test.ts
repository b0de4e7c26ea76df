/** grepLiteral: the plain text a grep's every match must contain, used by the store to skip rows natively. */
import { describe, expect, it } from 'vitest';
import { grepLiteral } from '../../src-main/shared/grep';

describe('grepLiteral', () => {
  it.each([
    ['ERROR .* failed', ' failed'],
    ['timeout', 'timeout'],
    ['^WARN\\b', 'WARN'],
    ['colou?r code', 'r code'],
    ['abcd*', 'abc'],
    ['x{2}yzzy', 'yzzy'],
    ['ab+cde', 'cde'],
    ['file\\.txt', 'file.txt'],
    ['[A-Z]+ failed', ' failed'],
    ['(?:foo)bar', 'bar'],
    ['\\d+ ms', ' ms'],
  ])('%s needs %j', (pattern, literal) => {
    expect(grepLiteral(pattern)).toBe(literal);
  });

  it.each(['ERROR|WARN', 'a.b', '(foo)?', '\\w+\\s\\d', '[abc]', 'ab'])('%s has nothing certain', (pattern) => {
    expect(grepLiteral(pattern)).toBeUndefined();
  });

  it('every line a pattern matches contains its literal', () => {
    const lines = ['ERROR request 7 failed: upstream', 'colour code red', 'color code', 'abcddd', 'xxyzzy', 'abbbcde'];
    for (const pattern of ['ERROR .* failed', 'colou?r code', 'abcd*', 'x{2}yzzy', 'ab+cde']) {
      const re = new RegExp(pattern);
      for (const line of lines.filter((l) => re.test(l))) expect(line).toContain(grepLiteral(pattern));
    }
  });
});
