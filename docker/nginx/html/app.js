// Asks the API for its greeting through the sidecar and shows the answer and its request id.
// The element ids (#answer, #request-id, #status) are read by the browser test: keep them stable.
async function showGreeting() {
  const answer = document.getElementById('answer');
  const requestId = document.getElementById('request-id');
  const status = document.getElementById('status');
  try {
    const response = await fetch('/public/hello', { headers: { Accept: 'application/json' } });
    const body = await response.json();
    requestId.textContent = response.headers.get('X-Request-ID') ?? body.requestId ?? '-';
    if (!response.ok) {
      answer.textContent = body.title ?? `HTTP ${response.status}`;
      status.textContent = body.detail ?? '';
      status.dataset.state = 'error';
      return;
    }
    answer.textContent = body.message;
    status.dataset.state = 'ok';
  } catch (error) {
    answer.textContent = 'The API could not be reached.';
    status.textContent = String(error);
    status.dataset.state = 'error';
  }
}

document.addEventListener('DOMContentLoaded', showGreeting);
