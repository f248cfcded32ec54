import { parseDockerTime } from './pod-start';

describe('parseDockerTime', () => {
  it('keeps the milliseconds of a nanosecond RFC 3339 time', () => {
    expect(parseDockerTime('2026-11-27T03:50:01.123456789Z\n')).toBe(
      Date.UTC(2026, 10, 27, 3, 50, 1, 123),
    );
  });

  it('accepts a time without fractional seconds', () => {
    expect(parseDockerTime('2026-11-27T03:50:01Z')).toBe(Date.UTC(2026, 10, 27, 3, 50, 1));
  });

  it('rejects what is not a time', () => {
    expect(() => parseDockerTime('<no value>')).toThrow('not a Docker timestamp');
  });
});
