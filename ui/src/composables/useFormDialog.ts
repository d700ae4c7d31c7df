// What every form dialog does the same way: reset the form when it opens, focus the first field,
// check the fields, save once (a second Enter while saving is ignored), close on success and keep
// the officer's input on failure (the api layer has already shown the message), submit on Enter
// and close on Esc but not on a stray click outside.

import { reactive, ref, type Ref, type UnwrapNestedRefs } from 'vue'
import { enterSubmits } from '@/keys'

/** Field name → message; a field without a message is fine. */
export type FieldErrors = Record<string, string>

export interface FormDialogOptions<F extends object, R> {
  /** The dialog's v-model:visible. */
  visible: Ref<boolean>
  /** The form's values when the dialog opens. */
  blank: () => F
  /** The fields' problems; the form is saved only when there is none. */
  validate: (form: UnwrapNestedRefs<F>) => FieldErrors
  /** Sends the form; its result goes to `saved`. */
  save: (form: UnwrapNestedRefs<F>) => Promise<R>
  /** After a successful save, before the dialog closes (a message, an emit). */
  saved: (result: R) => void
  /** The field to put the cursor in once the dialog is open. */
  focus?: () => void
}

/** Props every form dialog gives el-dialog: Esc closes, a click outside does not lose the input. */
export const FORM_DIALOG = { closeOnClickModal: false, closeOnPressEscape: true } as const

export function useFormDialog<F extends object, R>(o: FormDialogOptions<F, R>) {
  const form = reactive(o.blank())
  const errors = reactive<FieldErrors>({})
  const saving = ref(false)

  function clearErrors() {
    for (const k of Object.keys(errors)) delete errors[k]
  }

  /** For el-dialog's @open. */
  function open() {
    Object.assign(form, o.blank())
    clearErrors()
  }

  /** For el-dialog's @opened. */
  function opened() {
    o.focus?.()
  }

  function close() {
    o.visible.value = false
  }

  async function submit() {
    if (saving.value) return
    clearErrors()
    const found = Object.entries(o.validate(form)).filter(([, message]) => message)
    if (found.length) {
      Object.assign(errors, Object.fromEntries(found))
      return
    }
    saving.value = true
    try {
      o.saved(await o.save(form))
      close()
    } finally {
      saving.value = false
    }
  }

  return { form, errors, saving, open, opened, close, submit, onEnter: enterSubmits(submit) }
}
