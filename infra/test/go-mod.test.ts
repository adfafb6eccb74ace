import { requiredModuleVersion } from '../src/go-mod.ts';

// The build patches the SQLite driver version FerretDB's go.mod requires, not whatever is newest:
// its text patches are written against that version's source.
describe('requiredModuleVersion', () => {
  it('reads the version from a require block', () => {
    const goMod = [
      'module github.com/FerretDB/FerretDB',
      '',
      'require (',
      '\tgithub.com/jackc/pgx/v5 v5.6.0',
      '\tmodernc.org/sqlite v1.32.0',
      ')',
    ].join('\n');
    expect(requiredModuleVersion(goMod, 'modernc.org/sqlite')).toBe('v1.32.0');
  });

  it('reads a one-line require, and a look-alike module is not the module', () => {
    const goMod = 'module x\n\nrequire modernc.org/sqlitex v9.9.9\nrequire modernc.org/sqlite v1.40.1 // indirect\n';
    expect(requiredModuleVersion(goMod, 'modernc.org/sqlite')).toBe('v1.40.1');
  });

  it('fails naming the module when go.mod does not require it', () => {
    expect(() => requiredModuleVersion('module x\n\nrequire github.com/a/b v1.0.0\n', 'modernc.org/sqlite')).toThrow(
      'go.mod requires no version of modernc.org/sqlite',
    );
  });
});
