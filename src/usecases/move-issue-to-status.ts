import type { StatusTarget } from '../domain/config';
import { findStatusesForTarget, type JiraStatus } from '../domain/status-mapping';
import { planTransitionPath } from '../domain/transition-path';
import type { AvailableTransition, JiraGateway } from './ports';

/**
 * Moves an issue to a status target through the workflow, step by step: each step reads the
 * transitions available from the current status (Jira only lists those), plans the shortest path
 * over what is known so far with `planTransitionPath`, and when the target is not yet reachable in
 * the known graph, walks to the nearest status whose transitions it has not seen. The transition
 * that reaches the target carries the comment; a required `resolution` on a transition screen is
 * filled with the target's resolution (or Jira's first one when that is not offered).
 */

const MAX_STEPS = 10;

export type MoveResult =
  | { kind: 'already-there'; statusId: string }
  | { kind: 'moved'; transitionIds: string[]; statusId: string }
  | { kind: 'issue-missing' }
  | { kind: 'no-path'; message: string };

function resolutionFor(transition: AvailableTransition, target: StatusTarget): Record<string, unknown> {
  const field = transition.fields['resolution'];
  if (!field) return {};
  const allowed = field.allowedValues ?? [];
  const wanted = (target.resolutionName ?? 'Done').trim().toLowerCase();
  const match = allowed.find((v) => v.name?.trim().toLowerCase() === wanted);
  if (match?.name) return { resolution: { name: match.name } };
  if (field.required && allowed[0])
    return { resolution: allowed[0].id ? { id: allowed[0].id } : { name: allowed[0].name } };
  return {};
}

export async function moveIssueToStatus(
  input: { issueId: string; target: StatusTarget; statuses: ReadonlyArray<JiraStatus>; comment: unknown },
  jira: Pick<JiraGateway, 'getIssueStatus' | 'getTransitions' | 'transitionIssue'>,
): Promise<MoveResult> {
  const snapshot = await jira.getIssueStatus(input.issueId);
  if (!snapshot) return { kind: 'issue-missing' };
  const targets = new Set(findStatusesForTarget(input.target, input.statuses));
  const describe = input.target.statusName ?? input.target.statusId ?? `a ${input.target.statusCategory} status`;
  if (targets.size === 0) return { kind: 'no-path', message: `The workflow has no status matching ${describe}` };
  let current = snapshot.statusId;
  if (targets.has(current)) return { kind: 'already-there', statusId: current };

  const graph: Record<string, Array<{ id: string; to: string }>> = {};
  const taken: string[] = [];
  for (let step = 0; step < MAX_STEPS; step++) {
    const transitions = await jira.getTransitions(input.issueId);
    graph[current] = transitions.map((t) => ({ id: t.id, to: t.toStatusId }));
    let path = planTransitionPath(current, [...targets], graph);
    if (path === null) {
      const known = new Set(Object.values(graph).flatMap((edges) => edges.map((e) => e.to)));
      const unexplored = [...known].filter((status) => graph[status] === undefined);
      path = unexplored.length > 0 ? planTransitionPath(current, unexplored, graph) : null;
    }
    const nextId = path?.[0];
    const transition = transitions.find((t) => t.id === nextId);
    if (!transition) {
      return {
        kind: 'no-path',
        message:
          `No path through the workflow from status ${snapshot.statusId} to ${describe} ` +
          `(explored ${Object.keys(graph).length} statuses)`,
      };
    }
    const final = targets.has(transition.toStatusId);
    await jira.transitionIssue(input.issueId, {
      transitionId: transition.id,
      fields: resolutionFor(transition, input.target),
      ...(final ? { comment: input.comment } : {}),
    });
    taken.push(transition.id);
    current = transition.toStatusId;
    if (final) return { kind: 'moved', transitionIds: taken, statusId: current };
  }
  return { kind: 'no-path', message: `Gave up after ${MAX_STEPS} transitions without reaching ${describe}` };
}
