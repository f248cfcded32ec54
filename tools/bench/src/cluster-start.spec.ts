import { phasesReached } from './cluster-start';

describe('phasesReached', () => {
  const pod = (status: object) => ({ metadata: { name: 'p' }, status });

  it('reads nothing from a Pod just created', () => {
    expect(phasesReached(pod({}))).toEqual([]);
  });

  it('needs every container for the container phases', () => {
    const oneRunning = pod({
      conditions: [{ type: 'PodReadyToStartContainers', status: 'True' }],
      containerStatuses: [
        { state: { running: {} }, started: true },
        { state: { waiting: {} }, started: false },
      ],
    });
    expect(phasesReached(oneRunning)).toEqual(['sandbox ready (PodReadyToStartContainers)']);
  });

  it('follows a Pod to Ready', () => {
    const ready = pod({
      conditions: [
        { type: 'PodReadyToStartContainers', status: 'True' },
        { type: 'Ready', status: 'True' },
      ],
      containerStatuses: [
        { state: { running: {} }, started: true },
        { state: { running: {} }, started: true },
      ],
    });
    expect(phasesReached(ready)).toEqual([
      'sandbox ready (PodReadyToStartContainers)',
      'every container running',
      'every startup probe passed',
      'Ready',
    ]);
  });
});
