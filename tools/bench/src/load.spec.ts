import { parseWrkReport } from './load';

const wrkOutput = (json: string) =>
  [
    'Running 5s test @ http://127.0.0.1:3000/public/hello',
    '  1 threads and 32 connections',
    json,
    'Requests/sec:   6000.00',
  ].join('\n');

describe('parseWrkReport', () => {
  it("turns the script's JSON line into successful requests per second and milliseconds", () => {
    const result = parseWrkReport(
      wrkOutput(
        '{"requests":30010,"durationUs":5000000,"statusErrors":10,"socketErrors":2,"p50Us":1250,"p99Us":4100}',
      ),
    );
    expect(result).toEqual({
      requests: 30000,
      requestsPerSecond: 6000,
      p50Ms: 1.25,
      p99Ms: 4.1,
      failures: 12,
    });
  });

  it('fails without a result line, or without one successful response', () => {
    expect(() => parseWrkReport('unable to connect to 127.0.0.1:3000')).toThrow('no result line');
    expect(() =>
      parseWrkReport(
        wrkOutput(
          '{"requests":5,"durationUs":5000000,"statusErrors":5,"socketErrors":0,"p50Us":1,"p99Us":1}',
        ),
      ),
    ).toThrow('no successful response');
  });
});
