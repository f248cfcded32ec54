/**
 * Where the suite finds the Pod. Set by the global setup (which may start one) or by whoever
 * runs the suite against a Pod of their own: E2E_BASE_URL (the sidecar's URL) and
 * E2E_API_TOKEN (a bearer token the API accepts).
 */
export function podUnderTest(): { baseUrl: string; token: string } {
  const baseUrl = process.env.E2E_BASE_URL;
  const token = process.env.E2E_API_TOKEN;
  if (!baseUrl || !token) {
    throw new Error(
      'E2E_BASE_URL and E2E_API_TOKEN must be set (the global setup sets them when it starts the Pod).',
    );
  }
  return { baseUrl: baseUrl.replace(/\/$/, ''), token };
}

export async function call(path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${podUnderTest().baseUrl}${path}`, { redirect: 'manual', ...init });
}

export function withToken(init: RequestInit = {}): RequestInit {
  return {
    ...init,
    headers: {
      ...(init.headers as Record<string, string>),
      Authorization: `Bearer ${podUnderTest().token}`,
    },
  };
}
