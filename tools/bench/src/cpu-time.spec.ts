import { parseStatTicks } from './cpu-time';

describe('parseStatTicks', () => {
  it('adds utime and stime (fields 14 and 15) of a /proc/<pid>/stat line', () => {
    const stat =
      '4321 (node) S 1 4321 4321 0 -1 4194560 2466 0 0 0 150 25 0 0 20 0 11 0 1234 1090519040 16384';
    expect(parseStatTicks(stat)).toBe(175);
  });

  it('counts fields from the last parenthesis, as a command name may hold spaces and parentheses', () => {
    const stat = '77 (nginx: worker (x)) S 76 76 76 0 -1 4194624 10 0 0 0 7 3 0 0 20 0 1 0 99 1 1';
    expect(parseStatTicks(stat)).toBe(10);
  });

  it('rejects a line that is not one', () => {
    expect(() => parseStatTicks('garbage')).toThrow('not a /proc/<pid>/stat line');
  });
});
