import { GatewayError } from '../../../contracts/errors/gateway-error';
import { failureOutcome, PermanentError, resolveTopology, retryDelay, TOPOLOGY_DEFAULTS, topicMatches, TransientError, type BusTopologyDeclaration } from '../../../gateway/bus';

function problems(declaration: unknown): string[] {
  try {
    resolveTopology(declaration as BusTopologyDeclaration);
  } catch (e) {
    if (e instanceof GatewayError && e.code === 'bus.invalid-topology') return e.facts.problems as string[];
    throw e;
  }
  throw new Error('accepted');
}

describe('bus topology declaration', () => {
  it('fills in the defaults and derives the retry and parking queues', () => {
    const t = resolveTopology({ exchange: 'mmgw', queues: { routing: { bindings: ['message.accepted.#'] }, push: { bindings: ['delivery.push'], retry: { maxAttempts: 3 }, prefetch: 2 } } });
    const routing = t.queues.get('routing');
    expect(routing?.retry).toEqual(TOPOLOGY_DEFAULTS.retry);
    expect(routing?.prefetch).toBe(TOPOLOGY_DEFAULTS.prefetch);
    expect(routing?.retryQueues.map((r) => [r.name, r.delayMs])).toEqual([['routing.retry.1000ms', 1000], ['routing.retry.4000ms', 4000], ['routing.retry.16000ms', 16000], ['routing.retry.64000ms', 64000]]);
    expect(routing?.parkingQueue).toBe('routing.parked');
    expect(t.queues.get('push')?.retryQueues).toHaveLength(2);
    // Capped delays share one retry queue.
    const capped = resolveTopology({ exchange: 'x', queues: { q: { bindings: ['q'], retry: { maxAttempts: 4, baseDelayMs: 100, factor: 10, maxDelayMs: 500 } } } });
    expect(capped.queues.get('q')?.retryQueues.map((r) => r.name)).toEqual(['q.retry.100ms', 'q.retry.500ms', 'q.retry.500ms']);
    expect(t.queues.get('push')?.prefetch).toBe(2);
    expect(t.deliveryLimit).toBe(TOPOLOGY_DEFAULTS.deliveryLimit);
  });

  it('reports every problem at once, with its path', () => {
    const found = problems({
      exchange: 'bad name', extra: 1, prefetch: 0,
      retry: { maxAttempts: 0, factor: 0.5, nope: true },
      queues: { ok: { bindings: ['a.*', 'b..c', 'x y'], prefech: 3 }, empty: { bindings: [] }, 'ok.parked': { bindings: ['z'] } },
    });
    expect(found).toEqual(expect.arrayContaining([
      expect.stringMatching(/^extra: unknown key/),
      expect.stringMatching(/^exchange: must be a name/),
      expect.stringMatching(/^retry\.nope: unknown key/),
      expect.stringMatching(/^retry\.maxAttempts: must be an integer from 1 to 50/),
      expect.stringMatching(/^retry\.factor: must be a number/),
      expect.stringMatching(/^prefetch: must be an integer/),
      expect.stringMatching(/^queues\.ok\.prefech: unknown key/),
      expect.stringMatching(/^queues\.ok\.bindings\[1\]: "b\.\.c" is not a topic pattern/),
      expect.stringMatching(/^queues\.ok\.bindings\[2\]/),
      expect.stringMatching(/^queues\.empty\.bindings: must list at least one/),
      expect.stringMatching(/^queues\.ok\.parked: the name is taken by a retry or parking queue derived from queue ok/),
    ]));
    expect(found).toHaveLength(11);
  });

  it('refuses a declaration without queues', () => {
    expect(problems({ exchange: 'x', queues: {} })).toEqual(['queues: must declare at least one queue']);
  });
});

describe('topic matching (AMQP topic exchange)', () => {
  it.each([
    ['a.*', 'a.b', true], ['a.*', 'a.b.c', false], ['a.*', 'a', false], ['a.#', 'a', true], ['a.#', 'a.b.c', true],
    ['#', 'anything.at.all', true], ['*.b.#', 'x.b', true], ['*.b.#', 'x.c', false], ['a.#.z', 'a.z', true], ['a.#.z', 'a.b.c.z', true], ['a.b', 'a.b', true], ['a.b', 'a.c', false],
  ])('%s against %s → %s', (pattern, key, expected) => expect(topicMatches(pattern, key)).toBe(expected));
});

describe('failure outcome (decided by class, not text)', () => {
  const policy = { maxAttempts: 3, baseDelayMs: 100, factor: 3, maxDelayMs: 500 };
  it('grows the delay and caps it', () => {
    expect([1, 2, 3, 4].map((n) => retryDelay(policy, n))).toEqual([100, 300, 500, 500]);
  });
  it('retries transient and unknown errors until the last attempt, then parks', () => {
    expect(failureOutcome(new TransientError('x', { code: 'store.unreachable' }), 1, policy)).toMatchObject({ action: 'retry', delayMs: 100, nextAttempt: 2, code: 'store.unreachable' });
    expect(failureOutcome(new Error('x'), 2, policy)).toMatchObject({ action: 'retry', delayMs: 300, code: 'bus.handler-failed' });
    expect(failureOutcome(Object.assign(new Error('x'), { code: 'ECONNRESET' }), 1, policy)).toMatchObject({ action: 'retry', code: 'ECONNRESET' });
    expect(failureOutcome(new TransientError('x'), 3, policy)).toMatchObject({ action: 'park', reason: 'attempts-exhausted', code: 'bus.handler-transient' });
  });
  it('parks a permanent error at the first attempt', () => {
    expect(failureOutcome(new PermanentError('no'), 1, policy)).toMatchObject({ action: 'park', reason: 'permanent', code: 'bus.handler-permanent' });
  });
});
