// Pictures from the image library and embeds in the article body (django-prose-editor).
//
// Loaded by the body editor (articles.admin.chooser.BodyEditorWidget adds it to the
// editor's js_modules). Two Tiptap nodes, each stored as a bare marker the server draws:
//   <figure data-image="ID"></figure>   a picture from the library, chosen in a dialog
//   <figure data-embed="URL"></figure>  an embed, its URL checked against the allow-list
import { crel, gettext, Node } from "django-prose-editor/editor"

const json = async (url) => {
  const response = await fetch(url, {
    credentials: "same-origin",
    headers: { Accept: "application/json" },
  })
  const data = await response.json().catch(() => ({}))
  return { ok: response.ok, data }
}

// After a selected node (a picture just inserted), not over it.
const insert = (editor, content) => {
  const { selection } = editor.state
  const at = selection.node ? selection.to : selection.from
  editor.chain().focus().insertContentAt(at, content).run()
}

const openDialog = (title) => {
  const heading = crel("h2", { textContent: title })
  const close = crel("button", {
    type: "button",
    className: "button body-media-close",
    textContent: gettext("Cancel"),
  })
  const content = crel("div", { className: "body-media-content" })
  const dialog = crel("dialog", { className: "body-media-dialog" }, [heading, content, close])
  dialog.setAttribute("aria-label", title)
  close.addEventListener("click", () => dialog.close())
  dialog.addEventListener("close", () => dialog.remove())
  document.body.append(dialog)
  dialog.showModal()
  return { dialog, content }
}

// -- pictures -------------------------------------------------------------------------

const openChooser = (editor, options) => {
  const { dialog, content } = openDialog(gettext("Insert a picture from the library"))
  const load = async (url) => {
    content.setAttribute("aria-busy", "true")
    const response = await fetch(url, { credentials: "same-origin" })
    content.removeAttribute("aria-busy")
    if (!response.ok) {
      content.textContent = gettext("The image library could not be shown.")
      return
    }
    // The fragment is our own template's, escaped by Django.
    content.innerHTML = await response.text()
    content.querySelector("input[type=search]")?.focus()
  }
  content.addEventListener("submit", (event) => {
    event.preventDefault()
    const form = event.target
    const query = new URLSearchParams(new FormData(form))
    load(`${form.getAttribute("action")}?${query}`)
  })
  content.addEventListener("click", (event) => {
    const page = event.target.closest("a[data-page]")
    if (page) {
      event.preventDefault()
      load(page.getAttribute("href"))
      return
    }
    const choice = event.target.closest("button[data-image-id]")
    if (choice) {
      dialog.close()
      insert(editor, { type: "bodyImage", attrs: { id: choice.dataset.imageId } })
    }
  })
  load(options.chooserUrl)
}

const describeImage = async (dom, id, infoUrl) => {
  dom.textContent = gettext("Picture") + ` ${id}`
  const { ok, data } = await json(infoUrl.replace(/\/0\/$/, `/${id}/`))
  dom.textContent = ""
  if (!ok) {
    dom.append(crel("span", { className: "body-media-error", textContent: data.error || "" }))
    return
  }
  if (data.thumbnail) dom.append(crel("img", { src: data.thumbnail, alt: "" }))
  const words = [data.alt_text || gettext("No alt text yet"), data.caption, data.credit]
  const text = crel("span", { textContent: words.filter(Boolean).join(" · ") })
  if (data.label) text.prepend(crel("strong", { textContent: `${data.label} ` }))
  dom.append(text)
}

export const BodyImage = Node.create({
  name: "bodyImage",
  group: "block",
  atom: true,
  draggable: true,
  selectable: true,

  addOptions() {
    return { chooserUrl: "", infoUrl: "" }
  },

  addAttributes() {
    return {
      id: {
        default: null,
        parseHTML: (element) => element.getAttribute("data-image"),
        renderHTML: (attributes) => ({ "data-image": attributes.id }),
      },
    }
  },

  parseHTML() {
    return [{ tag: "figure[data-image]" }]
  },

  renderHTML({ HTMLAttributes }) {
    return ["figure", HTMLAttributes]
  },

  addNodeView() {
    const { infoUrl } = this.options
    return ({ node }) => {
      const dom = crel("figure", { "data-image": node.attrs.id })
      dom.contentEditable = "false"
      describeImage(dom, node.attrs.id, infoUrl)
      return { dom }
    }
  },

  addMenuItems({ menu, buttons }) {
    const options = this.options
    menu.defineItem({
      name: "bodyImage",
      groups: "nodes",
      button: buttons.material("add_photo_alternate", gettext("Insert a picture from the library")),
      command: (editor) => openChooser(editor, options),
    })
  },
})

// -- embeds ---------------------------------------------------------------------------

const openEmbedDialog = (editor, options) => {
  const { dialog, content } = openDialog(gettext("Embed a video, post, chart or map"))
  const input = crel("input", {
    type: "url",
    name: "url",
    required: true,
    placeholder: "https://www.youtube.com/watch?v=…",
  })
  input.setAttribute("aria-label", gettext("Address of the video, post, chart or map"))
  const error = crel("p", { className: "body-media-error", role: "alert" })
  const form = crel("form", {}, [
    input,
    crel("button", { type: "submit", className: "button", textContent: gettext("Embed") }),
  ])
  const help = crel("p", {
    className: "help",
    textContent: gettext(
      "YouTube, Vimeo, Datawrapper, OpenStreetMap, Bluesky and Mastodon. Nothing is loaded from them until a reader sees the page.",
    ),
  })
  content.append(form, error, help)
  form.addEventListener("submit", async (event) => {
    event.preventDefault()
    error.textContent = ""
    const { ok, data } = await json(`${options.checkUrl}?${new URLSearchParams({ url: input.value })}`)
    if (!ok || !data.allowed) {
      error.textContent = data.error || gettext("This address could not be checked.")
      return
    }
    dialog.close()
    insert(editor, { type: "bodyEmbed", attrs: { url: data.url } })
  })
  input.focus()
}

const describeEmbed = async (dom, url, checkUrl) => {
  dom.textContent = url
  const { ok, data } = await json(`${checkUrl}?${new URLSearchParams({ url })}`)
  dom.textContent = ""
  if (!ok || !data.allowed) {
    dom.append(crel("span", { className: "body-media-error", textContent: data.error || "" }))
    return
  }
  const who = data.author ? ` · ${data.author}` : ""
  dom.append(
    crel("strong", { textContent: `${data.provider}${who}` }),
    crel("span", { textContent: ` ${data.url}` }),
  )
}

export const BodyEmbed = Node.create({
  name: "bodyEmbed",
  group: "block",
  atom: true,
  draggable: true,
  selectable: true,

  addOptions() {
    return { checkUrl: "" }
  },

  addAttributes() {
    return {
      url: {
        default: null,
        parseHTML: (element) => element.getAttribute("data-embed"),
        renderHTML: (attributes) => ({ "data-embed": attributes.url }),
      },
    }
  },

  parseHTML() {
    return [{ tag: "figure[data-embed]" }]
  },

  renderHTML({ HTMLAttributes }) {
    return ["figure", HTMLAttributes]
  },

  addNodeView() {
    const { checkUrl } = this.options
    return ({ node }) => {
      const dom = crel("figure", { "data-embed": node.attrs.url })
      dom.contentEditable = "false"
      describeEmbed(dom, node.attrs.url, checkUrl)
      return { dom }
    }
  },

  addMenuItems({ menu, buttons }) {
    const options = this.options
    menu.defineItem({
      name: "bodyEmbed",
      groups: "nodes",
      button: buttons.material("smart_display", gettext("Embed a video, post, chart or map")),
      command: (editor) => openEmbedDialog(editor, options),
    })
  },
})
