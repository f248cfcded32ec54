import { failedTasksOf, tasksRunOf } from './dev-loop';

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

describe('tasksRunOf', () => {
  it('names the tasks that ran, not those read from the cache', () => {
    const output = [
      '> nx run api:build  [local cache]',
      '> nx run api:lint  [existing outputs match the cache, left as is]',
      '> nx run generators:test',
      'some test output',
      '\x1b[2m> nx run chart:lint\x1b[22m',
    ].join('\n');
    expect(tasksRunOf(output)).toEqual(['generators:test', 'chart:lint']);
  });
});
