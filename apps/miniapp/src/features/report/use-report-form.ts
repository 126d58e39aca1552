import { useCallback, useEffect, useRef, useState } from 'react'
import { formatCst, type EventReportType, type FieldErrors } from '@xieshui/core'
import { getLocale, translate } from '../../lib/i18n'
import { formProblems, isApiError } from '../../lib/request'
import { scrollToId } from '../../lib/scroll'
import { findDuplicates, submitReport, uploadPhoto, type PossibleDuplicate, type SubmittedReport } from './api'
import { clearDraft, createDraft, hasContent, loadDraft, saveDraft, type DraftPhoto, type ReportDraft } from './drafts'
import { deadlineOf, emptyValues, formFieldOf, validateForm, type FormValues } from './form-model'
import { choosePhotos, MAX_PHOTOS, notImageMessage, type PickedPhoto } from './photos'

/** The outcome shown after a successful submit. */
export interface ReportResult extends SubmittedReport {
  photosUploaded: number
  photoErrors: string[]
}

/** A submit held back because the report would count as late (the user decides). */
export interface LateWarning {
  due: string
}

/**
 * State of one report form: values restored from the device draft, errors per field, the
 * duplicates question, the late warning, photos and the submit. A submit never runs twice at once,
 * and every attempt of one draft carries the same clientId, so the server files it once.
 */
export interface ReportFormDeps {
  submitReport: typeof submitReport
  findDuplicates: typeof findDuplicates
  uploadPhoto: typeof uploadPhoto
  choosePhotos: typeof choosePhotos
  now?: () => Date
}

const defaultDeps: ReportFormDeps = { submitReport, findDuplicates, uploadPhoto, choosePhotos }

export function useReportForm(type: EventReportType, deps: ReportFormDeps = defaultDeps) {
  const [draft, setDraft] = useState<ReportDraft>(() => {
    const stored = loadDraft(type.code)
    return stored ? { ...stored, values: { ...emptyValues(type), ...stored.values } } : createDraft(type.code, emptyValues(type))
  })
  const [restored] = useState(() => {
    const stored = loadDraft(type.code)
    return stored !== null && hasContent(stored)
  })
  const [fields, setFields] = useState<FieldErrors>({})
  const [formError, setFormError] = useState<string | null>(null)
  const [duplicates, setDuplicates] = useState<PossibleDuplicate[] | null>(null)
  const [late, setLate] = useState<LateWarning | null>(null)
  const [submitting, setSubmitting] = useState(false)
  const [result, setResult] = useState<ReportResult | null>(null)
  // Blobs of photos picked on H5 this session (a draft keeps only paths).
  const blobs = useRef(new Map<string, Blob>())
  const inFlight = useRef(false)

  useEffect(() => {
    if (!result) saveDraft(draft)
  }, [draft, result])

  // A question that replaces the submit button comes into view where the thumb is.
  useEffect(() => {
    if (duplicates) scrollToId('dup-prompt')
  }, [duplicates])
  useEffect(() => {
    if (late) scrollToId('late-warning')
  }, [late])

  const setValue = useCallback((name: string, value: string) => {
    setDraft((d) => ({ ...d, values: { ...d.values, [name]: value } }))
    setLate(null)
    setFields((f) => {
      if (!(name in f)) return f
      const { [name]: _gone, ...rest } = f
      return rest
    })
  }, [])

  const addPhotos = useCallback(async () => {
    const room = MAX_PHOTOS - draft.photos.length
    if (room <= 0) return
    const picked: PickedPhoto[] = await deps.choosePhotos(room)
    const good = picked.filter((p) => p.mime)
    if (good.length < picked.length) setFormError(notImageMessage())
    else setFormError(null)
    for (const p of good) if (p.blob) blobs.current.set(p.path, p.blob)
    if (good.length) setDraft((d) => ({ ...d, photos: [...d.photos, ...good.map((p) => ({ path: p.path }))].slice(0, MAX_PHOTOS) }))
  }, [deps, draft.photos.length])

  const removePhoto = useCallback((path: string) => {
    setDraft((d) => ({ ...d, photos: d.photos.filter((p) => p.path !== path) }))
  }, [])

  /** Starts a new, empty report of the same type (new clientId). */
  const reset = useCallback(() => {
    clearDraft(type.code)
    blobs.current.clear()
    setDraft(createDraft(type.code, emptyValues(type)))
    setFields({})
    setFormError(null)
    setDuplicates(null)
    setLate(null)
    setResult(null)
  }, [type])

  const uploadPhotos = useCallback(
    async (reportId: string, photos: DraftPhoto[]) => {
      const errors: string[] = []
      const done: DraftPhoto[] = []
      for (const p of photos) {
        if (p.uploadedId) {
          done.push(p)
          continue
        }
        try {
          const blob = blobs.current.get(p.path)
          const mime = blob?.type || (p.path.toLowerCase().endsWith('.png') ? 'image/png' : 'image/jpeg')
          const photo = await deps.uploadPhoto(reportId, blob ? { blob } : { filePath: p.path }, mime)
          done.push({ ...p, uploadedId: photo.id })
        } catch (e) {
          errors.push(isApiError(e) ? e.message : String(e))
          done.push(p)
        }
      }
      return { photos: done, errors }
    },
    [deps],
  )

  /**
   * Validates, warns once when the report would be late, asks about duplicates (once), then files
   * the report and uploads its photos. Every problem lands in `fields` / `formError`, which the
   * form's SubmitBar scrolls to and announces next to the button.
   */
  const submit = useCallback(
    async (opts: { confirmDuplicates?: boolean; confirmLate?: boolean } = {}) => {
      if (inFlight.current || result) return
      const locale = getLocale()
      const now = deps.now?.() ?? new Date()
      const checked = validateForm(type, draft.values, locale, now)
      if (!checked.ok) {
        setFields(checked.fields)
        setFormError(null)
        setLate(null)
        return
      }
      if (!opts.confirmLate && !opts.confirmDuplicates) {
        const deadline = deadlineOf(type, draft.values, now)
        if (deadline?.late) {
          setFields({})
          setFormError(null)
          setLate({ due: formatCst(deadline.dueAt) })
          return
        }
      }
      inFlight.current = true
      setSubmitting(true)
      setFields({})
      setFormError(null)
      setLate(null)
      try {
        if (!opts.confirmDuplicates) {
          const dups = await deps.findDuplicates(type.code, checked.data, type.dupFields).catch(() => [])
          if (dups.length > 0) {
            setDuplicates(dups)
            return
          }
        }
        setDuplicates(null)
        const report = await deps.submitReport({ type: type.code, clientId: draft.clientId, data: checked.data })
        const { photos, errors } = await uploadPhotos(report.id, draft.photos)
        clearDraft(type.code)
        setResult({ ...report, photosUploaded: photos.filter((p) => p.uploadedId).length, photoErrors: errors })
      } catch (e) {
        setDuplicates(null)
        const problems = formProblems(e, formFieldOf, translate('fs-network-draft'))
        setFields(problems.fields)
        setFormError(problems.message)
      } finally {
        inFlight.current = false
        setSubmitting(false)
      }
    },
    [deps, draft, result, type, uploadPhotos],
  )

  return {
    values: draft.values as FormValues,
    clientId: draft.clientId,
    photos: draft.photos,
    restored,
    fields,
    formError,
    duplicates,
    late,
    submitting,
    result,
    setValue,
    addPhotos,
    removePhoto,
    submit,
    dismissDuplicates: () => setDuplicates(null),
    dismissLate: () => setLate(null),
    reset,
  }
}

export type ReportForm = ReturnType<typeof useReportForm>
export type { FormValues }
