import Button from '@atlaskit/button/new';
import { Checkbox } from '@atlaskit/checkbox';
import Lozenge from '@atlaskit/lozenge';
import SectionMessage from '@atlaskit/section-message';
import Textfield from '@atlaskit/textfield';
import {
  FINDING_STATUSES,
  GROUPINGS,
  SEVERITIES,
  type AutoCreatePolicy,
  type FindingStatus,
  type JiraStatusRule,
  type ProjectMapping,
  type StatusTarget,
  type SyncConfig,
} from '../../../../src/contracts/admin-api';
import { listProjectStatuses, type SiteMetadata, type WorkflowStatus } from '../../../../src/contracts/site-metadata';
import { FormField, InlineError } from '../components/form-field';
import { SelectField, type Option } from '../components/select-field';
import type { ProjectCatalog } from '../hooks/use-project-catalog';
import type { FieldErrors } from '../state/config-errors';
import {
  CATEGORY_LABELS,
  FINDING_STATUS_LABELS,
  GROUPING_LABELS,
  SEVERITY_LABELS,
  describeAutoCreate,
} from '../state/labels';
import { SummaryTemplateField } from './summary-template-field';

/** A project mapping, or the default mapping (no `match`, id "default"). */
export type EditableMapping = Omit<ProjectMapping, 'match' | 'id'> & { id: string; match?: ProjectMapping['match'] };

export interface MappingEditorProps {
  /** Config path of this mapping: `mappings[0]` or `defaultMapping`. */
  path: string;
  /** Prefix for element ids, unique on the page. */
  idPrefix: string;
  title: string;
  mapping: EditableMapping;
  config: SyncConfig;
  site: SiteMetadata | undefined;
  catalog: ProjectCatalog;
  errors: FieldErrors;
  onChange: (next: EditableMapping) => void;
  onRemove?: () => void;
}

const INHERIT = '__inherit';
const NO_MOVE = '__none';

function splitList(text: string): string[] {
  return text
    .split(/[,\s]+/)
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

function describeTarget(target: StatusTarget | null | undefined, statuses: WorkflowStatus[]): string {
  if (target === null || target === undefined) return "don't move the issue";
  const status = statuses.find(
    (s) =>
      s.id === target.statusId ||
      (target.statusName !== undefined && s.name.toLowerCase() === target.statusName.toLowerCase()),
  );
  const where = status
    ? status.name
    : (target.statusName ??
      (target.statusCategory ? `any ${CATEGORY_LABELS[target.statusCategory]} status` : `status ${target.statusId}`));
  return target.resolutionName ? `${where} (resolution ${target.resolutionName})` : where;
}

function targetValue(target: StatusTarget | null | undefined): string {
  if (target === undefined) return INHERIT;
  if (target === null) return NO_MOVE;
  if (target.statusId !== undefined) return `status:${target.statusId}`;
  if (target.statusName !== undefined) return `name:${target.statusName}`;
  return `category:${target.statusCategory}`;
}

/** One routing target: which findings (asset), which project and issue type, labels, assignee, and both status maps. */
export function MappingEditor({
  path,
  idPrefix,
  title,
  mapping,
  config,
  site,
  catalog,
  errors,
  onChange,
  onRemove,
}: MappingEditorProps) {
  const projectOptions: Option[] = (site?.projects ?? []).map((p) => ({ label: `${p.name} (${p.key})`, value: p.key }));
  const siteProject = site?.projects.find((p) => p.key === mapping.projectKey);
  const details = mapping.projectKey ? catalog.get(mapping.projectKey) : undefined;
  const project = details?.status === 'loaded' ? details.project : undefined;
  const issueTypes = (project?.issueTypes ?? siteProject?.issueTypes ?? []).filter((t) => !t.subtask);
  const issueTypeId =
    mapping.issueTypeId ?? issueTypes.find((t) => t.name.toLowerCase() === mapping.issueTypeName?.toLowerCase())?.id;
  const statuses = project ? listProjectStatuses(project, issueTypeId ? { id: issueTypeId } : undefined) : [];
  const e = (suffix: string) => errors[`${path}.${suffix}`];

  const findingTargetOptions = (status: FindingStatus): Option[] => [
    { value: INHERIT, label: `Global setting: ${describeTarget(config.statusMap[status], statuses)}` },
    { value: NO_MOVE, label: "Don't move the issue" },
    ...statuses.map((s) => ({ value: `status:${s.id}`, label: s.name, description: CATEGORY_LABELS[s.categoryKey] })),
  ];

  const setTarget = (status: FindingStatus, value: string | undefined) => {
    const statusMap = { ...(mapping.statusMap ?? {}) };
    if (value === undefined || value === INHERIT) delete statusMap[status];
    else if (value === NO_MOVE) statusMap[status] = null;
    else if (value.startsWith('status:')) {
      const picked = statuses.find((s) => s.id === value.slice('status:'.length));
      const inherited = config.statusMap[status];
      statusMap[status] = {
        statusId: value.slice('status:'.length),
        ...(picked?.categoryKey === 'done' && inherited?.resolutionName
          ? { resolutionName: inherited.resolutionName }
          : {}),
      };
    }
    onChange({ ...mapping, statusMap });
  };

  const rules = mapping.jiraStatusMap?.rules ?? [];
  const ruleFor = (status: WorkflowStatus) =>
    rules.find(
      (r) =>
        r.resolutionName === undefined &&
        (r.statusId === status.id || r.statusName?.toLowerCase() === status.name.toLowerCase()),
    );
  const setRule = (status: WorkflowStatus, value: string | undefined) => {
    const others = rules.filter((r) => r !== ruleFor(status));
    const next: JiraStatusRule[] =
      value && value !== INHERIT ? [...others, { statusId: status.id, findingStatus: value as FindingStatus }] : others;
    onChange({ ...mapping, jiraStatusMap: { byCategory: mapping.jiraStatusMap?.byCategory ?? {}, rules: next } });
  };
  const byCategory = (status: WorkflowStatus) => {
    const own = mapping.jiraStatusMap?.byCategory?.[status.categoryKey as 'new'];
    const global = config.jiraStatusMap.byCategory[status.categoryKey as 'new'];
    const effective = own !== undefined ? own : global;
    return effective ? FINDING_STATUS_LABELS[effective] : 'no change';
  };

  const headingId = `${idPrefix}-heading`;
  return (
    <section className="fs-card" aria-labelledby={headingId}>
      <header className="fs-card__header">
        <h3 id={headingId}>{title}</h3>
        {onRemove ? (
          <Button appearance="subtle" onClick={onRemove}>
            Remove {title}
          </Button>
        ) : null}
      </header>

      {mapping.match ? (
        <div className="fs-grid">
          <FormField
            id={`${idPrefix}-asset-ids`}
            label="Asset ids"
            helper="Separate several ids with commas or spaces."
            error={e('match.assetIds') ?? e('match')}
          >
            {({ isInvalid, ...aria }) => (
              <Textfield
                {...aria}
                isInvalid={isInvalid}
                defaultValue={(mapping.match?.assetIds ?? []).join(', ')}
                onBlur={(event) => {
                  const ids = splitList(event.currentTarget.value);
                  const match = { ...mapping.match };
                  if (ids.length > 0) match.assetIds = ids;
                  else delete match.assetIds;
                  onChange({ ...mapping, match });
                }}
              />
            )}
          </FormField>
          <FormField
            id={`${idPrefix}-asset-pattern`}
            label="Or asset name pattern"
            helper="* matches anything, ? one character; case-insensitive (e.g. web-*)."
            error={e('match.assetNamePattern')}
          >
            {({ isInvalid, ...aria }) => (
              <Textfield
                {...aria}
                isInvalid={isInvalid}
                value={mapping.match?.assetNamePattern ?? ''}
                onChange={(event) => {
                  const pattern = event.currentTarget.value;
                  const match = { ...mapping.match };
                  if (pattern.trim() !== '') match.assetNamePattern = pattern;
                  else delete match.assetNamePattern;
                  onChange({ ...mapping, match });
                }}
              />
            )}
          </FormField>
        </div>
      ) : null}

      <div className="fs-grid">
        <SelectField
          id={`${idPrefix}-project`}
          label="Jira project"
          options={projectOptions}
          isLoading={!site}
          value={mapping.projectKey || undefined}
          error={e('projectKey') ?? (details?.status === 'missing' ? details.message : undefined)}
          missingLabel={(key) => `${key} (no such project in Jira)`}
          onChange={(key) => {
            if (!key) return;
            const next = { ...mapping, projectKey: key };
            delete next.issueTypeId;
            delete next.issueTypeName;
            delete next.statusMap;
            delete next.jiraStatusMap;
            const firstType = site?.projects.find((p) => p.key === key)?.issueTypes.find((t) => !t.subtask);
            if (firstType) next.issueTypeId = firstType.id;
            onChange(next);
          }}
        />
        <SelectField
          id={`${idPrefix}-issue-type`}
          label="Issue type"
          options={issueTypes.map((t) => ({ label: t.name, value: t.id }))}
          isDisabled={!mapping.projectKey}
          value={issueTypeId ?? mapping.issueTypeName}
          error={e('issueTypeId')}
          missingLabel={(value) => `${value} (not in this project)`}
          onChange={(id) => {
            if (!id) return;
            const next = { ...mapping, issueTypeId: id };
            delete next.issueTypeName;
            onChange(next);
          }}
        />
        <FormField
          id={`${idPrefix}-labels`}
          label="Labels"
          helper="Added to every issue; separate with commas or spaces."
          error={e('labels')}
        >
          {({ isInvalid, ...aria }) => (
            <Textfield
              {...aria}
              isInvalid={isInvalid}
              defaultValue={mapping.labels.join(' ')}
              onBlur={(event) => onChange({ ...mapping, labels: splitList(event.currentTarget.value) })}
            />
          )}
        </FormField>
        <SelectField
          id={`${idPrefix}-grouping`}
          label="Grouping"
          helper={
            'Many findings, one issue: by scanner rule, rule and asset, file, package or CVE. ' +
            'A change moves no existing issue; new findings follow the new rule.'
          }
          options={GROUPINGS.map((g) => ({ value: g, label: GROUPING_LABELS[g] }))}
          value={mapping.grouping ?? 'none'}
          error={e('grouping')}
          onChange={(value) => {
            const next = { ...mapping };
            if (value && value !== 'none') next.grouping = value as (typeof GROUPINGS)[number];
            else delete next.grouping;
            onChange(next);
          }}
        />
        <FormField
          id={`${idPrefix}-assignee`}
          label="Default assignee (account id)"
          helper="Used when the finding names no owner Jira knows. Empty: unassigned."
          error={e('defaultAssigneeAccountId')}
        >
          {({ isInvalid, ...aria }) => (
            <Textfield
              {...aria}
              isInvalid={isInvalid}
              value={mapping.defaultAssigneeAccountId ?? ''}
              onChange={(event) => {
                const value = event.currentTarget.value.trim();
                const next = { ...mapping };
                if (value) next.defaultAssigneeAccountId = value;
                else delete next.defaultAssigneeAccountId;
                onChange(next);
              }}
            />
          )}
        </FormField>
      </div>

      <div className="fs-grid">
        <SelectField
          id={`${idPrefix}-auto-create`}
          label="Create issues automatically"
          helper="Overrides the Policy tab for findings routed here."
          options={[
            { value: INHERIT, label: `Policy tab: ${describeAutoCreate(config.autoCreate)}` },
            { value: 'all', label: 'Every finding' },
            { value: 'severities', label: 'Only chosen severities' },
            { value: 'none', label: 'None (pause issue creation here)' },
          ]}
          value={mapping.autoCreate?.mode ?? INHERIT}
          error={e('autoCreate')}
          onChange={(value) => {
            const next = { ...mapping };
            if (value === undefined || value === INHERIT) delete next.autoCreate;
            else if (value === 'severities')
              next.autoCreate = {
                mode: 'severities',
                severities:
                  config.autoCreate.mode === 'severities' ? config.autoCreate.severities : ['critical', 'high'],
              };
            else next.autoCreate = { mode: value as 'all' | 'none' };
            onChange(next);
          }}
        />
      </div>
      {mapping.autoCreate?.mode === 'severities' ? (
        <AutoCreateSeverities
          idPrefix={idPrefix}
          policy={mapping.autoCreate}
          error={e('autoCreate.severities')}
          onChange={(autoCreate) => onChange({ ...mapping, autoCreate })}
        />
      ) : null}

      <SummaryTemplateField
        id={`${idPrefix}-summary-template`}
        template={mapping.summaryTemplate}
        error={e('summaryTemplate')}
        onChange={(summaryTemplate) => {
          const next = { ...mapping };
          if (summaryTemplate !== undefined) next.summaryTemplate = summaryTemplate;
          else delete next.summaryTemplate;
          onChange(next);
        }}
      />

      {details?.status === 'loading' ? <p className="fs-hint">Loading the workflow of {mapping.projectKey}…</p> : null}
      {details?.status === 'failed' ? (
        <SectionMessage appearance="warning" title={`The workflow of ${mapping.projectKey} could not be loaded`}>
          <p>{details.message}</p>
        </SectionMessage>
      ) : null}
      {project ? (
        <div className="fs-status-maps">
          <fieldset className="fs-fieldset">
            <legend>When the finding's status changes, move the issue to</legend>
            {FINDING_STATUSES.map((status) => (
              <SelectField
                key={status}
                id={`${idPrefix}-target-${status}`}
                label={FINDING_STATUS_LABELS[status]}
                options={findingTargetOptions(status)}
                value={targetValue(mapping.statusMap?.[status])}
                error={e(`statusMap.${status}`)}
                onChange={(value) => setTarget(status, value)}
              />
            ))}
          </fieldset>
          <fieldset className="fs-fieldset">
            <legend>When the issue moves to a status, set the finding to</legend>
            {statuses.map((status) => {
              const rule = ruleFor(status);
              const ruleIndex = rule ? rules.indexOf(rule) : -1;
              return (
                <SelectField
                  key={status.id}
                  id={`${idPrefix}-rule-${status.id}`}
                  label={status.name}
                  helper={`Category: ${CATEGORY_LABELS[status.categoryKey]}`}
                  options={[
                    { value: INHERIT, label: `By category: ${byCategory(status)}` },
                    ...FINDING_STATUSES.map((s) => ({ value: s, label: FINDING_STATUS_LABELS[s] })),
                  ]}
                  value={rule ? rule.findingStatus : INHERIT}
                  error={
                    ruleIndex >= 0
                      ? (e(`jiraStatusMap.rules[${ruleIndex}].statusId`) ?? e(`jiraStatusMap.rules[${ruleIndex}]`))
                      : undefined
                  }
                  onChange={(value) => setRule(status, value)}
                />
              );
            })}
            {rules.some((r) => r.resolutionName !== undefined) ? (
              <p className="fs-hint">
                <Lozenge>{rules.filter((r) => r.resolutionName !== undefined).length} resolution rules</Lozenge> also
                apply (edited in the configuration document).
              </p>
            ) : null}
          </fieldset>
        </div>
      ) : null}
      <InlineError message={e('statusMap') ?? e('jiraStatusMap')} />
    </section>
  );
}

function AutoCreateSeverities({
  idPrefix,
  policy,
  error,
  onChange,
}: {
  idPrefix: string;
  policy: Extract<AutoCreatePolicy, { mode: 'severities' }>;
  error: string | undefined;
  onChange: (next: AutoCreatePolicy) => void;
}) {
  return (
    <div>
      <div className="fs-checkbox-row" role="group" aria-label="Severities that create issues for this mapping">
        {SEVERITIES.map((severity) => (
          <Checkbox
            key={severity}
            id={`${idPrefix}-auto-create-${severity}`}
            label={SEVERITY_LABELS[severity]}
            isChecked={policy.severities.includes(severity)}
            onChange={(event) => {
              const on = event.target.checked;
              onChange({
                mode: 'severities',
                severities: SEVERITIES.filter((s) => (s === severity ? on : policy.severities.includes(s))),
              });
            }}
          />
        ))}
      </div>
      <InlineError message={error} />
    </div>
  );
}
