import { waitFor } from './http';
import type { NginxHandle } from './start-nginx';

/** One line of the sidecar's JSON access log (log_format sidecar_json). */
export interface AccessLogLine {
  requestId: string;
  /** The trace id of the request's W3C traceparent; "" without a valid one. */
  traceId: string;
  method: string;
  uri: string;
  status: number;
  requestTime: number;
  upstreamAddress: string;
  upstreamStatus: string;
  upstreamConnectTime: string;
  upstreamHeaderTime: string;
  upstreamResponseTime: string;
  [field: string]: unknown;
}

/** Waits for the access-log line of the request with this id (NGINX logs after responding). */
export function accessLogLine(nginx: NginxHandle, requestId: string): Promise<AccessLogLine> {
  return waitFor(`the access-log line of request ${requestId}`, () =>
    nginx.output.stdout
      .map((line) => JSON.parse(line) as AccessLogLine)
      .find((line) => line.requestId === requestId),
  );
}
