import type { InspectionReport } from '../../domain/index.ts';

/** Eight typical inspection reports, one per common defect family, for benchmarks and smoke tests. */
export const SAMPLE_REPORTS: readonly InspectionReport[] = [
  {
    description: '3 of 40 WK-KN-200 blades show orange spots near the bolster after quench',
    facility: 'yangjiang',
  },
  {
    description: 'Fine swirl marks and haze on mirror-finished paring knives after buffing',
    product_sku: 'WK-KN-100',
  },
  {
    description: 'Small chips along the edge of chef knives after honing',
    measurements: { hardness_hrc: 60.5 },
  },
  { description: 'Handle scales cracked near the rear rivet on utility knives', facility: 'shenzhen' },
  { description: 'Rivet heads standing proud by 2.5 mm on wok handles', product_sku: 'WK-CI-280' },
  { description: 'Brown specks near the logo that wipe off with alcohol', facility: 'hongkong' },
  { description: 'Blades bent after heat treatment, bow of 0.8 mm', measurements: { hardness_hrc: 55 } },
  { description: 'Porosity and pinholes in the bolster weld seam' },
];
