/**
 * The real service with the built console, on port 0, for the browser tests: the corpus in an
 * in-memory knowledge base, a temporary SQLite store, the offline model, and a few analysed
 * reports so that the history and the dashboard have something to show.
 */
import {
  corpusKnowledgeBase,
  postJson,
  startTestServer,
  temporaryDirectory,
  type TestServer,
} from '../../api/testing/harness.ts';

/** Reports analysed before the tests start. */
export const SEED_REPORTS = [
  {
    description: '3 of 40 WK-KN-200 blades show orange spots near the bolster after quench',
    facility: 'yangjiang',
    product_sku: 'WK-KN-200',
    batch_id: 'YJ-2611-014',
    measurements: { salt_spray_hours: 310 },
  },
  {
    description: 'Swirl marks and haze on mirror-finished paring knives after buffing',
    facility: 'shenzhen',
    product_sku: 'WK-KN-100',
  },
  {
    description: 'Rivets proud by 2.5 mm on the handle of chef knives, batch SZ-2611-07',
    facility: 'shenzhen',
    product_sku: 'WK-KN-150',
    measurements: { defect_size_mm: 2.5 },
  },
  {
    description: 'Hardness audit lot HK-2611-03: blades measure 51 HRC, soft near the tip',
    facility: 'hongkong',
    product_sku: 'WK-CI-200',
    measurements: { hardness_hrc: 51 },
  },
] as const;

/** A running console server and the ids of its seeded analyses. */
export interface ConsoleServer extends TestServer {
  seeded: string[];
}

/** Starts the service over the built console and analyses {@link SEED_REPORTS}. */
export async function startConsoleServer({
  auth = 'off',
}: { auth?: 'off' | 'required' } = {}): Promise<ConsoleServer> {
  const knowledgeBase = await corpusKnowledgeBase();
  const data = temporaryDirectory('rca-web-');
  const server = await startTestServer({
    knowledgeBase,
    dataDir: data.directory,
    auth,
    now: () => new Date(),
  });
  const seeded: string[] = [];
  if (auth === 'off') {
    for (const report of SEED_REPORTS) {
      const response = await postJson(`${server.baseUrl}/api/v1/analyze`, report);
      const body = (await response.json()) as { defect_id: string };
      seeded.push(body.defect_id);
    }
  }
  return {
    ...server,
    seeded,
    async close() {
      await server.close();
      await knowledgeBase.close();
      data.remove();
    },
  };
}

if (process.argv[1]?.endsWith('console-server.ts')) {
  const server = await startConsoleServer();
  console.log(`console on ${server.baseUrl}/ (seeded ${server.seeded.join(', ')})`);
}
