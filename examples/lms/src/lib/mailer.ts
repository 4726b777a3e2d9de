export interface EmailMessage {
  to: string
  subject: string
  text: string
}

export async function sendEmail(message: EmailMessage): Promise<void> {
  if (process.env.NODE_ENV !== 'production') {
    console.info(`[mailer] -> ${message.to}: ${message.subject}`)
    return
  }
  const res = await fetch(process.env.MAILER_URL!, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${process.env.MAILER_TOKEN}` },
    body: JSON.stringify(message),
  })
  if (!res.ok) throw new Error(`mailer responded ${res.status}`)
}
