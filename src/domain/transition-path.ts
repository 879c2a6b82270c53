/**
 * Shortest path through a Jira workflow. Pure BFS over the transitions the caller knows about,
 * either as workflow transitions (`from` empty or absent = a global transition, available from
 * every status) or as "transitions available from status X" discovered through the REST API.
 */

export type WorkflowTransition = { id: string; to: string; from?: ReadonlyArray<string> };
export type AvailableTransitions = Readonly<Record<string, ReadonlyArray<{ id: string; to: string }>>>;
export type TransitionGraph = ReadonlyArray<WorkflowTransition> | AvailableTransitions;

type Edge = { id: string; to: string };

function toAdjacency(graph: TransitionGraph): { bySource: Map<string, Edge[]>; global: Edge[] } {
  const bySource = new Map<string, Edge[]>();
  const global: Edge[] = [];
  const add = (from: string, edge: Edge) => {
    const list = bySource.get(from);
    if (list) list.push(edge);
    else bySource.set(from, [edge]);
  };
  if (Array.isArray(graph)) {
    for (const transition of graph as ReadonlyArray<WorkflowTransition>) {
      const edge = { id: transition.id, to: transition.to };
      if (!transition.from || transition.from.length === 0) global.push(edge);
      else for (const from of transition.from) add(from, edge);
    }
  } else {
    for (const [from, edges] of Object.entries(graph as AvailableTransitions)) {
      for (const edge of edges) add(from, { id: edge.id, to: edge.to });
    }
  }
  return { bySource, global };
}

/**
 * The transition ids that take an issue from `currentStatusId` to the target (or to the nearest
 * of several targets): `[]` when already there, `null` when no path exists. Ties are broken by
 * the order of the transitions given, so the result is deterministic.
 */
export function planTransitionPath(
  currentStatusId: string,
  target: string | ReadonlyArray<string>,
  graph: TransitionGraph,
): string[] | null {
  const targets = new Set(typeof target === 'string' ? [target] : target);
  if (targets.size === 0) return null;
  if (targets.has(currentStatusId)) return [];
  const { bySource, global } = toAdjacency(graph);
  const previous = new Map<string, { from: string; transitionId: string }>();
  const visited = new Set<string>([currentStatusId]);
  const queue: string[] = [currentStatusId];
  for (let head = 0; head < queue.length; head++) {
    const status = queue[head]!;
    for (const edge of [...(bySource.get(status) ?? []), ...global]) {
      if (visited.has(edge.to)) continue;
      visited.add(edge.to);
      previous.set(edge.to, { from: status, transitionId: edge.id });
      if (targets.has(edge.to)) return unwind(previous, currentStatusId, edge.to);
      queue.push(edge.to);
    }
  }
  return null;
}

function unwind(previous: Map<string, { from: string; transitionId: string }>, start: string, end: string): string[] {
  const path: string[] = [];
  let status = end;
  while (status !== start) {
    const step = previous.get(status)!;
    path.push(step.transitionId);
    status = step.from;
  }
  return path.reverse();
}
