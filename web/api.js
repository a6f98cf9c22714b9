// The server's JSON API (docs/api.md) for the page: requests that throw an
// ApiError with the server's message, and sampling jobs polled to the end.

export class ApiError extends Error {
  constructor(message, status) {
    super(message);
    this.status = status;
  }
}

async function answer(response) {
  const type = response.headers.get('Content-Type') || '';
  const body = type.startsWith('application/json') ? await response.json() : {};
  if (!response.ok) {
    throw new ApiError(body.error || `the server answered ${response.status} ${response.statusText}`, response.status);
  }
  return body;
}

// A JSON request; `body` (an object) is sent as JSON. Returns the answer.
export async function call(method, path, body) {
  let response;
  try {
    response = await fetch(path, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiError('cannot reach the deepquartet server (is `deepquartet serve` still running?)', 0);
  }
  return answer(response);
}

// Posts a multipart form (an upload). Returns the answer.
export async function upload(path, form) {
  let response;
  try {
    response = await fetch(path, { method: 'POST', body: form });
  } catch (e) {
    throw new ApiError('cannot reach the deepquartet server', 0);
  }
  return answer(response);
}

// Follows a job (the 202 answer of a sampling request) until it ends.
// `onProgress(fraction)` is called while it runs; `isCancelled()` asks the
// server to stop it. Returns the job's result; throws ApiError if it failed
// or was cancelled.
export async function finish(job, { onProgress = () => {}, isCancelled = () => false } = {}) {
  let cancelSent = false;
  for (;;) {
    if (job.state === 'done') return job.result;
    if (job.state === 'failed') throw new ApiError(job.error, job.status);
    if (job.state === 'cancelled') throw new ApiError('cancelled', 409);
    onProgress(job.progress || 0);
    if (isCancelled() && !cancelSent) {
      cancelSent = true;
      job = await call('DELETE', `/api/job/${job.id}`);
      continue;
    }
    // Long polling: the server answers as soon as the job ends, or after half a
    // second with its progress.
    job = await call('GET', `/api/job/${job.id}?wait=0.5`);
  }
}
