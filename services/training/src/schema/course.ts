import { AppError } from '@firegov/kit';
import { dropNulls } from '@firegov/service';
import type { Course } from '../domain/course.ts';
import { who } from './context.ts';
import { builder, PageInfoRef } from './refs.ts';

export const CourseRef = builder.objectRef<Course>('Course').implement({
  fields: (t) => ({
    id: t.exposeID('_id'),
    unitId: t.exposeID('unitId'),
    name: t.exposeString('name'),
    createdAt: t.exposeString('createdAt'),
  }),
});

const CoursePageRef = builder
  .objectRef<{ nodes: Course[]; hasNextPage: boolean; endCursor: string | null; totalCount: () => Promise<number> }>('CoursePage')
  .implement({
    fields: (t) => ({
      nodes: t.field({ type: [CourseRef], resolve: (p) => p.nodes }),
      pageInfo: t.field({ type: PageInfoRef, resolve: (p) => ({ hasNextPage: p.hasNextPage, endCursor: p.endCursor }) }),
      totalCount: t.int({ resolve: (p) => p.totalCount() }),
    }),
  });

const RegisterCourseInput = builder.inputType('RegisterCourseInput', {
  fields: (t) => ({ unitId: t.id({ required: true }), name: t.string({ required: true }) }),
});

builder.queryFields((t) => ({
  course: t.field({
    type: CourseRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_r, { id }, ctx) => {
      try {
        return await ctx.services.courses.byId(who(ctx), String(id));
      } catch (err) {
        if (err instanceof AppError && err.code === 'NOT_FOUND') return null;
        throw err;
      }
    },
  }),
  courses: t.field({
    type: CoursePageRef,
    args: { first: t.arg.int(), after: t.arg.string() },
    resolve: (_r, a, ctx) => ctx.services.courses.list(who(ctx), a.first, a.after),
  }),
}));

builder.mutationFields((t) => ({
  registerCourse: t.field({
    type: CourseRef,
    errors: { types: [AppError] },
    args: { input: t.arg({ type: RegisterCourseInput, required: true }) },
    resolve: (_r, { input }, ctx) => ctx.services.courses.register(who(ctx), dropNulls(input)),
  }),
}));
