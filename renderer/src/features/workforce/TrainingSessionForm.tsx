import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionUser } from '../../../../shared/contracts/auth.js';
import {
  TRAINING_MODES,
  TRAINING_SUBJECTS,
  type CourseCreate,
  type SessionCreate,
  type TrainingCourse,
  type TrainingMode,
  type TrainingSessionDetail,
  type TrainingSubject,
} from '../../../../shared/contracts/training.js';
import { useServices } from '../../app/services';
import { DateField } from '../../app/ui/DateField';
import { ConfirmDialog } from '../admin/ConfirmDialog';
import { fieldProblem, problemOf, type Problem } from '../admin/problem';
import { useTownOptions } from '../analysis/use-towns';
import { TRAINING_KEY, WORKFORCE_KEY, trainingCoursesQuery } from './queries';
import { hoursOf } from './training-view';

/** The course select's choice that opens the new course's fields. */
const NEW_COURSE = 'new';
/** The town select's choice of a county session (`townId: null`). */
const COUNTY = 'county';

/**
 * 新建培训场次: a session of an existing course (by subject) or of a course made here, held by one
 * of the user's towns or, for the county's grid office, by the county. A new course is created
 * first and kept (a refused session does not make it twice); the server's refusal of a field is
 * written under it, the course's under the course's fields.
 */
export function TrainingSessionForm({
  user,
  defaultTown,
  today,
  onCancel,
  onCreated,
}: {
  user: SessionUser;
  defaultTown: string;
  today: string;
  onCancel(): void;
  onCreated(session: TrainingSessionDetail): void;
}) {
  const { t } = useTranslation();
  const { api } = useServices();
  const queryClient = useQueryClient();
  const ids = { hoursHint: useId(), course: useId(), subject: useId(), title: useId(), plannedHours: useId(), mode: useId(), town: useId(), heldOn: useId(), place: useId(), trainer: useId(), hours: useId() };
  const towns = useTownOptions(user);
  const county = user.scope.kind === 'county';
  const courses = useQuery(trainingCoursesQuery(api));
  const [courseId, setCourseId] = useState('');
  const [subject, setSubject] = useState<TrainingSubject>('business');
  const [courseTitle, setCourseTitle] = useState('');
  const [plannedHours, setPlannedHours] = useState('2');
  const [mode, setMode] = useState<TrainingMode>('offline');
  const [townChoice, setTownChoice] = useState('');
  const [heldOn, setHeldOn] = useState(today);
  const [place, setPlace] = useState('');
  const [trainer, setTrainer] = useState('');
  const [hours, setHours] = useState('');
  const [tried, setTried] = useState(false);
  const [problem, setProblem] = useState<{ step: 'course' | 'session'; problem: Problem } | null>(null);
  // the panel's town, else the county (its office) or the first town: chosen once the towns are known
  const townId = townChoice || defaultTown || (county ? COUNTY : (towns[0]?.id ?? ''));

  const bySubject = useMemo(() => {
    const items = courses.data?.items ?? [];
    return TRAINING_SUBJECTS.map((s) => ({ subject: s, courses: items.filter((c) => c.subject === s) })).filter((g) => g.courses.length > 0);
  }, [courses.data]);

  const createCourse = useMutation({ mutationFn: (body: CourseCreate) => api.post<TrainingCourse>('/training/courses', body) });
  const createSession = useMutation({ mutationFn: (body: SessionCreate) => api.post<TrainingSessionDetail>('/training/sessions', body) });
  const busy = createCourse.isPending || createSession.isPending;

  const local = {
    courseId: courseId === '' ? t('workforce.training.form.required') : undefined,
    courseTitle: courseId === NEW_COURSE && courseTitle.trim() === '' ? t('workforce.training.form.required') : undefined,
    plannedHours: courseId === NEW_COURSE && hoursOf(plannedHours) === null ? t('workforce.training.form.positive') : undefined,
    townId: townId === '' ? t('workforce.training.form.required') : undefined,
    heldOn: heldOn === '' ? t('workforce.training.form.required') : undefined,
    place: place.trim() === '' ? t('workforce.training.form.required') : undefined,
    trainer: trainer.trim() === '' ? t('workforce.training.form.required') : undefined,
    hours: hoursOf(hours) === null ? t('workforce.training.form.positive') : undefined,
  };
  const valid = Object.values(local).every((v) => v === undefined);
  /** The field's own check (once submitted), else the server's word on it at the step that names it. */
  const error = (field: keyof typeof local, step: 'course' | 'session', server: string) =>
    (tried ? local[field] : undefined) ?? (problem?.step === step ? fieldProblem(problem.problem, server) : undefined);
  const errorLine = (message: string | undefined, testId: string) =>
    message ? (
      <p className="admin-field-error" data-testid={`training-form-error-${testId}`}>
        {message}
      </p>
    ) : null;

  const chooseCourse = (id: string) => {
    setCourseId(id);
    const course = courses.data?.items.find((c) => c.id === id);
    if (course) setHours(String(course.hours));
    else if (id === NEW_COURSE && hoursOf(plannedHours) !== null) setHours(plannedHours);
  };

  const confirm = async () => {
    setTried(true);
    if (!valid || busy) return;
    setProblem(null);
    let id = courseId;
    if (id === NEW_COURSE) {
      try {
        const course = await createCourse.mutateAsync({ subject, title: courseTitle.trim(), hours: hoursOf(plannedHours)! });
        await queryClient.invalidateQueries({ queryKey: trainingCoursesQuery(api).queryKey });
        id = course.id;
        // kept: a refused session is retried with this course, not a second one
        setCourseId(course.id);
      } catch (err) {
        setProblem({ step: 'course', problem: problemOf(err, t) });
        return;
      }
    }
    try {
      const session = await createSession.mutateAsync({
        courseId: id,
        mode,
        townId: townId === COUNTY ? null : townId,
        heldOn,
        place: place.trim(),
        trainer: trainer.trim(),
        hours: hoursOf(hours)!,
      });
      await Promise.all([queryClient.invalidateQueries({ queryKey: TRAINING_KEY }), queryClient.invalidateQueries({ queryKey: [...WORKFORCE_KEY, 'composition'] })]);
      onCreated(session);
    } catch (err) {
      setProblem({ step: 'session', problem: problemOf(err, t) });
    }
  };

  const bodyError = problem ? t(problem.step === 'course' ? 'workforce.training.form.courseFailed' : 'workforce.training.form.failed', { message: problem.problem.message }) : null;

  return (
    <ConfirmDialog
      title={t('workforce.training.form.title')}
      confirmLabel={t('workforce.training.form.create')}
      busy={busy}
      error={bodyError}
      onConfirm={() => void confirm()}
      onCancel={onCancel}
      testId="training-session-form"
    >
      <div className="workforce-training-form">
        <div className="admin-field workforce-training-form-wide">
          <label htmlFor={ids.course} className="admin-required">
            {t('workforce.training.form.course')}
          </label>
          <select
            id={ids.course}
            value={courseId}
            onChange={(e) => chooseCourse(e.target.value)}
            aria-invalid={error('courseId', 'session', 'courseId') ? true : undefined}
            data-testid="training-form-course"
            data-autofocus
          >
            <option value="">{courses.isPending ? t('workforce.loading') : t('workforce.training.form.chooseCourse')}</option>
            {bySubject.map((g) => (
              <optgroup key={g.subject} label={t(`workforce.training.subject.${g.subject}`)}>
                {g.courses.map((c) => (
                  <option key={c.id} value={c.id}>
                    {t('workforce.training.form.courseOption', { title: c.title, hours: c.hours })}
                  </option>
                ))}
              </optgroup>
            ))}
            <option value={NEW_COURSE}>{t('workforce.training.form.newCourse')}</option>
          </select>
          {errorLine(error('courseId', 'session', 'courseId'), 'course')}
          {courses.isError && <p className="admin-field-error">{t('workforce.failed', { message: courses.error.message })}</p>}
        </div>
        {courseId === NEW_COURSE && (
          <fieldset className="admin-fieldset workforce-training-form-wide" data-testid="training-form-new-course">
            <legend>{t('workforce.training.form.newCourseTitle')}</legend>
            <div className="workforce-training-form workforce-training-course">
              <div className="admin-field">
                <label htmlFor={ids.subject} className="admin-required">
                  {t('workforce.training.form.subject')}
                </label>
                <select id={ids.subject} value={subject} onChange={(e) => setSubject(e.target.value as TrainingSubject)} aria-invalid={problem?.step === 'course' && fieldProblem(problem.problem, 'subject') ? true : undefined} data-testid="training-form-subject">
                  {TRAINING_SUBJECTS.map((s) => (
                    <option key={s} value={s}>
                      {t(`workforce.training.subject.${s}`)}
                    </option>
                  ))}
                </select>
                {errorLine(problem?.step === 'course' ? fieldProblem(problem.problem, 'subject') : undefined, 'subject')}
              </div>
              <div className="admin-field">
                <label htmlFor={ids.title} className="admin-required">
                  {t('workforce.training.form.courseTitle')}
                </label>
                <input id={ids.title} value={courseTitle} maxLength={100} onChange={(e) => setCourseTitle(e.target.value)} aria-invalid={error('courseTitle', 'course', 'title') ? true : undefined} data-testid="training-form-course-title" />
                {errorLine(error('courseTitle', 'course', 'title'), 'course-title')}
              </div>
              <div className="admin-field">
                <label htmlFor={ids.plannedHours} className="admin-required">
                  {t('workforce.training.form.plannedHours')}
                </label>
                <input
                  id={ids.plannedHours}
                  type="number"
                  inputMode="decimal"
                  min={0.5}
                  max={100}
                  step={0.5}
                  value={plannedHours}
                  onChange={(e) => {
                    setPlannedHours(e.target.value);
                    if (hours === '' || hours === plannedHours) setHours(e.target.value);
                  }}
                  aria-invalid={error('plannedHours', 'course', 'hours') ? true : undefined}
                  data-testid="training-form-course-hours"
                />
                {errorLine(error('plannedHours', 'course', 'hours'), 'course-hours')}
              </div>
            </div>
          </fieldset>
        )}
        <div className="admin-field">
          <label htmlFor={ids.mode}>{t('workforce.training.form.mode')}</label>
          <select id={ids.mode} value={mode} onChange={(e) => setMode(e.target.value as TrainingMode)} aria-invalid={problem?.step === 'session' && fieldProblem(problem.problem, 'mode') ? true : undefined} data-testid="training-form-mode">
            {TRAINING_MODES.map((m) => (
              <option key={m} value={m}>
                {t(`workforce.training.mode.${m}`)}
              </option>
            ))}
          </select>
          {errorLine(problem?.step === 'session' ? fieldProblem(problem.problem, 'mode') : undefined, 'mode')}
        </div>
        <div className="admin-field">
          <label htmlFor={ids.town} className="admin-required">
            {t('workforce.training.form.town')}
          </label>
          <select id={ids.town} value={townId} onChange={(e) => setTownChoice(e.target.value)} aria-invalid={error('townId', 'session', 'townId') ? true : undefined} data-testid="training-form-town">
            {townId === '' && <option value="">{t('workforce.loading')}</option>}
            {county && <option value={COUNTY}>{t('workforce.training.form.countyOption')}</option>}
            {towns.map((x) => (
              <option key={x.id} value={x.id}>
                {x.name}
              </option>
            ))}
          </select>
          {errorLine(error('townId', 'session', 'townId'), 'town')}
        </div>
        <div className="admin-field">
          <label htmlFor={ids.heldOn} className="admin-required">
            {t('workforce.training.form.heldOn')}
          </label>
          <DateField id={ids.heldOn} value={heldOn} onChange={setHeldOn} invalid={Boolean(error('heldOn', 'session', 'heldOn'))} testId="training-form-held-on" />
          {errorLine(error('heldOn', 'session', 'heldOn'), 'held-on')}
        </div>
        <div className="admin-field">
          <label htmlFor={ids.hours} className="admin-required">
            {t('workforce.training.form.hours')}
          </label>
          <input
            id={ids.hours}
            type="number"
            inputMode="decimal"
            min={0.5}
            max={100}
            step={0.5}
            value={hours}
            onChange={(e) => setHours(e.target.value)}
            aria-invalid={error('hours', 'session', 'hours') ? true : undefined}
            aria-describedby={error('hours', 'session', 'hours') ? undefined : ids.hoursHint}
            data-testid="training-form-hours"
          />
          {error('hours', 'session', 'hours') ? (
            errorLine(error('hours', 'session', 'hours'), 'hours')
          ) : (
            <p className="admin-hint" id={ids.hoursHint}>
              {t('workforce.training.form.hoursHint')}
            </p>
          )}
        </div>
        <div className="admin-field">
          <label htmlFor={ids.place} className="admin-required">
            {t('workforce.training.form.place')}
          </label>
          <input id={ids.place} value={place} maxLength={100} onChange={(e) => setPlace(e.target.value)} aria-invalid={error('place', 'session', 'place') ? true : undefined} data-testid="training-form-place" />
          {errorLine(error('place', 'session', 'place'), 'place')}
        </div>
        <div className="admin-field">
          <label htmlFor={ids.trainer} className="admin-required">
            {t('workforce.training.form.trainer')}
          </label>
          <input id={ids.trainer} value={trainer} maxLength={50} onChange={(e) => setTrainer(e.target.value)} aria-invalid={error('trainer', 'session', 'trainer') ? true : undefined} data-testid="training-form-trainer" />
          {errorLine(error('trainer', 'session', 'trainer'), 'trainer')}
        </div>
      </div>
    </ConfirmDialog>
  );
}
