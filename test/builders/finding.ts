import type { Finding } from '../../src/domain/finding';

/** A valid, fully populated finding; override any field. Arrays and objects are fresh per call. */
export function buildFinding(overrides: Partial<Finding> = {}): Finding {
  return {
    id: 'finding-1',
    title: 'SQL injection in login form',
    description:
      'User input reaches a **SQL** query without parameters.\n\n- file: `app/login.py`\n- sink: `cursor.execute`',
    severity: 'high',
    status: 'open',
    asset: { id: 'asset-web', name: 'web-frontend' },
    cve: [],
    cwe: ['CWE-89'],
    cvss: { score: 8.1, vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:N' },
    scanner: 'CodeQL',
    remediation: 'Use parameterised queries.',
    references: ['https://owasp.org/www-community/attacks/SQL_Injection'],
    location: { file: 'app/login.py', line: 42, url: 'https://git.example.com/web/blob/main/app/login.py#L42' },
    owner: { email: 'dev@example.com' },
    url: 'https://platform.example.com/findings/finding-1',
    updatedAt: '2024-05-01T12:00:00.000Z',
    attributes: { team: 'payments', riskScore: 72 },
    ...overrides,
  };
}
