import { maskedArguments } from '../src/personal-data-reads.ts';

// The audit trail records what was asked, never a second copy of the personal data it audits.

test('phones and ID numbers in arguments are masked, by key or by what they are', () => {
  expect(
    maskedArguments({
      id: 'u_123',
      search: '13912345678',
      input: {
        name: '青龙乡中心小学',
        responsiblePerson: { name: '张三', phone: '13912345678', idNumber: '11010519491231002X' },
        members: [{ residentId: '11010519491231002X' }],
      },
      filter: { jurisdictionCode: '500230213000', first: 20 },
      owner: '11010519491231002X',
    }),
  ).toEqual({
    id: 'u_123',
    search: '139****5678',
    input: {
      name: '青龙乡中心小学',
      responsiblePerson: { name: '张三', phone: '139****5678', idNumber: '110105********002X' },
      members: [{ residentId: '110105********002X' }],
    },
    filter: { jurisdictionCode: '500230213000', first: 20 },
    owner: '110105********002X',
  });
});

test('a value under a personal key is masked even when it is not a valid number', () => {
  expect(maskedArguments({ phone: '0571-8888', idNumber: '12345' })).toEqual({ phone: '*********', idNumber: '*****' });
});

test('everything else passes through unchanged', () => {
  expect(maskedArguments({ first: 5, after: null, keyUnit: true, codes: ['500230213201'] })).toEqual({
    first: 5,
    after: null,
    keyUnit: true,
    codes: ['500230213201'],
  });
});
