import { navigation } from './navigation';

describe('console navigation', () => {
  it('shows a role only the sections it may open, and marks the current one', () => {
    const viewer = navigation('viewer', '/approvals');
    expect(viewer.map((entry) => entry.href)).toEqual([
      '/',
      '/overview',
      '/approvals',
      '/actions',
      '/playbooks',
    ]);
    expect(viewer.filter((entry) => entry.current).map((entry) => entry.href)).toEqual(['/approvals']);
    expect(navigation('admin', '/').map((entry) => entry.href)).toContain('/admin/connectors');
    expect(navigation('ingest', '/')).toEqual([]);
  });
});
