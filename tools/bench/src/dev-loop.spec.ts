import { failedTasksOf } from './dev-loop';

describe('failedTasksOf', () => {
  it("reads the tasks under Nx's Failed tasks: summary", () => {
    const output = [
      ' NX   Running targets lint, test, build for 10 projects failed',
      '',
      'Failed tasks:',
      '',
      '- pod:e2e',
      '- hardening:lint',
      '- @sidecar/x:build:production',
      '',
    ].join('\n');
    expect(failedTasksOf(output)).toEqual([
      'pod:e2e',
      'hardening:lint',
      '@sidecar/x:build:production',
    ]);
  });

  it('reads them through colour codes', () => {
    expect(failedTasksOf('\x1b[2mFailed tasks:\x1b[22m\n\n\x1b[2m-\x1b[22m kind:test\n')).toEqual([
      'kind:test',
    ]);
  });

  it('finds none in the output of a run that passed', () => {
    expect(
      failedTasksOf(' NX   Successfully ran targets lint, test, build for 11 projects'),
    ).toEqual([]);
  });
});
