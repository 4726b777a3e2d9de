/**
 * Nightly: e-mail students who stalled on a course.
 * Run with `tsx src/jobs/inactive-students.ts`.
 */
import { pool } from '../lib/pg'
import { sendEmail } from '../lib/mailer'

interface StalledStudent {
  userId: string
  email: string
  name: string | null
  courseTitle: string
  courseSlug: string
  progressPercent: number
  lastAccessedAt: Date
}

export async function findStalledStudents(days = 30): Promise<StalledStudent[]> {
  const { rows } = await pool.query<StalledStudent>(
    `SELECT cp."userId", u.email, u.name, c.title AS "courseTitle", c.slug AS "courseSlug",
            cp."progressPercent", cp."lastAccessedAt"
       FROM course_progress cp
       JOIN users u ON u.id = cp."userId"
       JOIN courses c ON c.id = cp."courseId"
      WHERE cp."lastAccessedAt" < NOW() - make_interval(days => $1)
        AND cp."progressPercent" < 100
      ORDER BY cp."lastAccessedAt"`,
    [days],
  )
  return rows
}

export async function run() {
  const students = await findStalledStudents(30)
  for (const s of students) {
    await sendEmail({
      to: s.email,
      subject: `Pick up where you left off: ${s.courseTitle}`,
      text: `Hi ${s.name ?? 'there'}, you're ${s.progressPercent}% through ${s.courseTitle}. ` +
        `Continue at ${process.env.APP_URL}/courses/${s.courseSlug}`,
    })
  }
  console.info(`inactive-students: notified ${students.length} students`)
}

if (require.main === module) {
  run()
    .catch((err) => {
      console.error(err)
      process.exitCode = 1
    })
    .finally(() => pool.end())
}
