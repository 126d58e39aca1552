import { request } from '../../lib/request'
import { postBytes } from '../report/api'
import type { PickedFile } from '../report/feeds'
import { downloadWithToken } from '../../lib/download'

export type QuizQuestionType = 'single' | 'multi' | 'judge'
/** A question as the person answering sees it. */
export interface AskedQuestion { position: number; total: number; type: QuizQuestionType; question: string; options: string[] }
export interface QuizFeedback { position: number; correct: boolean; chosen: string; answer: string; explanation: string; articleId: string; articleTitle: string | null }
export interface QuizResultForUser {
  correct: number; total: number; score: number; passed: boolean; passMark: number
  wrong: { position: number; question: string; chosen: string; answer: string; explanation: string; articleId: string; articleTitle: string | null }[]
}
export interface QuizProgress {
  assignmentId: string; quizId: string; title: string; passMark: number; opensAt: string; closesAt: string
  state: 'upcoming' | 'open' | 'closed'; total: number; answered: number; next: AskedQuestion | null; result: QuizResultForUser | null
}
export interface MyQuizCard { assignmentId: string; title: string; total: number; answered: number; closesAt: string; state: 'upcoming' | 'open' | 'closed'; finished: boolean; score: number | null }
export interface QuizItem { position: number; questionId: string; type: QuizQuestionType; question: string; options: string[]; answer: string; explanation: string; articleId: string }
export interface QuizView {
  id: string; title: string; status: 'draft' | 'pushed'; passMark: number; opensAt: string; closesAt: string; items: QuizItem[]
  audience: { units: number; users: number; withTelegram: number; problem: string | null }; pushedAt: string | null; assigned: number
}
export interface QuizListItem { id: string; title: string; status: string; opensAt: string; closesAt: string; assigned: number; finished: number }
export interface QuizResults {
  quizId: string; title: string; passMark: number; closesAt: string
  users: { userId: string; name: string; unitName: string; status: 'not_started' | 'in_progress' | 'finished'; answered: number; score: number | null; passed: boolean | null; seconds: number | null; wrong: number[]; botStatus: string }[]
  units: { unitCode: string; unitName: string; invited: number; started: number; finished: number; passed: number; averageScore: number | null }[]
  questions: { position: number; questionId: string; question: string; answer: string; answered: number; wrongShare: number | null; topWrong: string | null; topWrongCount: number }[]
}
export interface BankFacets { total: number; tags: { tag: string; count: number }[]; difficulties: { difficulty: string; count: number }[]; types: { type: QuizQuestionType; count: number }[] }
export interface Mistake { questionId: string; type: QuizQuestionType; question: string; options: string[]; answer: string; lastWrong: string | null; wrongCount: number; explanation: string; articleId: string; articleTitle: string | null }
export interface PracticeRound { roundId: string; day: string; total: number; answered: number; correct: number; next: (AskedQuestion & { questionId: string }) | null }
export interface BankQuestion { id: string; type: QuizQuestionType; question: string; options: string[]; answer: string; explanation: string; articleId: string; difficulty: 'easy' | 'medium' | 'hard'; revision: number; articleTitle: string | null }
export interface QuizImportSummary { imported: number; updated: number; unchanged: number; rejected: { line: number; reason: string }[]; dryRun: boolean }

const enc = encodeURIComponent

/** The quiz API the mini-app uses: trainers build, push and read results; everyone answers and practises. */
export const quizApi = {
  mine: () => request<{ quizzes: MyQuizCard[] }>('/api/v1/quiz/mine'),
  progress: (id: string) => request<QuizProgress>(`/api/v1/quiz/assignments/${enc(id)}`),
  answer: (id: string, position: number, chosen: string) => request<{ feedback: QuizFeedback; progress: QuizProgress }>(`/api/v1/quiz/assignments/${enc(id)}/answers`, { method: 'POST', data: { position, chosen } }),
  mistakes: () => request<{ mistakes: Mistake[] }>('/api/v1/quiz/mistakes'),
  practice: () => request<PracticeRound>('/api/v1/quiz/practice'),
  answerPractice: (id: string, position: number, chosen: string) => request<{ feedback: QuizFeedback; round: PracticeRound }>(`/api/v1/quiz/practice/${enc(id)}/answers`, { method: 'POST', data: { position, chosen } }),
  reminder: () => request<{ enabled: boolean; hour: number }>('/api/v1/quiz/practice-reminder'),
  setReminder: (enabled: boolean, hour: number) => request<{ enabled: boolean; hour: number }>('/api/v1/quiz/practice-reminder', { method: 'PUT', data: { enabled, hour } }),
  quizzes: () => request<{ quizzes: QuizListItem[] }>('/api/v1/quiz/quizzes'),
  quiz: (id: string) => request<QuizView>(`/api/v1/quiz/quizzes/${enc(id)}`),
  facets: () => request<BankFacets>('/api/v1/quiz/bank'),
  units: () => request<{ code: string; name: string; type: string }[]>('/api/v1/units'),
  build: (definition: Record<string, unknown>) => request<QuizView>('/api/v1/quiz/quizzes', { method: 'POST', data: definition }),
  push: (id: string) => request<{ assigned: number; botQueued: number; alreadyPushed: boolean }>(`/api/v1/quiz/quizzes/${enc(id)}/push`, { method: 'POST', data: {} }),
  results: (id: string) => request<QuizResults>(`/api/v1/quiz/quizzes/${enc(id)}/results`),
  remind: (id: string) => request<{ queued: number; unfinished: number }>(`/api/v1/quiz/quizzes/${enc(id)}/remind`, { method: 'POST', data: {} }),
  questions: (q: string) => request<{ total: number; questions: BankQuestion[] }>(`/api/v1/quiz/questions?limit=20${q ? `&q=${enc(q)}` : ''}`),
  question: (id: string) => request<BankQuestion>(`/api/v1/quiz/questions/${enc(id)}`),
  saveQuestion: (id: string, body: Record<string, unknown>) => request<BankQuestion>(`/api/v1/quiz/questions/${enc(id)}`, { method: 'PUT', data: body }),
  importBank: (file: PickedFile, dryRun: boolean) =>
    postBytes<QuizImportSummary>(`/api/v1/quiz/questions/import?fileName=${enc(file.name.slice(0, 200))}${dryRun ? '&dryRun=1' : ''}`, file, 'text/csv'),
}

/** Downloads a quiz's results (CSV or XLSX) with the bearer token: H5 via a blob link, WeChat via downloadFile. */
export function downloadQuizExport(id: string, format: 'csv' | 'xlsx'): Promise<string> {
  return downloadWithToken(`/api/v1/quiz/quizzes/${enc(id)}/export?format=${format}`, `quiz-results.${format}`, format)
}

/** The letters of a selection of option indexes, sorted: [2, 0] -> "AC". */
export function lettersOf(indexes: readonly number[]): string {
  return [...new Set(indexes)].sort((a, b) => a - b).map((i) => 'ABCD'[i]).join('')
}
