import { parseVmRssMiB } from './memory';

describe('parseVmRssMiB', () => {
  it('reads VmRSS (kB) from /proc/<pid>/status as MiB', () => {
    const status = [
      'Name:\tnode',
      'VmPeak:\t 1048576 kB',
      'VmRSS:\t   65536 kB',
      'Threads:\t7',
    ].join('\n');
    expect(parseVmRssMiB(status)).toBe(64);
  });

  it('fails when the line is missing (a kernel thread, or not Linux)', () => {
    expect(() => parseVmRssMiB('Name:\tkthreadd\n')).toThrow('VmRSS');
  });
});
