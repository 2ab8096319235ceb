// Client-side downloads of what a page already holds (a chart's SVG, PNG or CSV): no host round trip.

/** Offers text or a blob as a file download. */
export function downloadBlob(fileName: string, blob: Blob): void {
  const url = URL.createObjectURL(blob)
  const anchor = document.createElement('a')
  anchor.href = url
  anchor.download = fileName
  anchor.style.display = 'none'
  document.body.append(anchor)
  anchor.click()
  anchor.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

export function downloadText(fileName: string, text: string, type: string): void {
  downloadBlob(fileName, new Blob([text], { type }))
}

/** A standalone SVG document of a chart: namespaced, with the page's text colour fixed in. */
export function svgMarkup(svg: SVGSVGElement, textColor = '#1a1b1e'): string {
  const copy = svg.cloneNode(true) as SVGSVGElement
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg')
  copy.setAttribute('xmlns:xlink', 'http://www.w3.org/1999/xlink')
  // `currentColor` means nothing outside the page: pin it, on a white background.
  copy.style.color = textColor
  copy.style.background = '#ffffff'
  return new XMLSerializer().serializeToString(copy)
}

/** Draws an SVG to a canvas (at `scale`× for sharp text) and answers a PNG. Data URL, as the CSP allows. */
export async function svgToPng(svg: SVGSVGElement, scale = 2): Promise<Blob> {
  const markup = svgMarkup(svg)
  const width = svg.viewBox.baseVal?.width || svg.clientWidth || Number(svg.getAttribute('width')) || 640
  const height = svg.viewBox.baseVal?.height || svg.clientHeight || Number(svg.getAttribute('height')) || 400
  const image = new Image()
  image.src = `data:image/svg+xml;base64,${btoa(unescape(encodeURIComponent(markup)))}`
  await image.decode()
  const canvas = document.createElement('canvas')
  canvas.width = Math.ceil(width * scale)
  canvas.height = Math.ceil(height * scale)
  const context = canvas.getContext('2d')
  if (context === null) throw new Error('This browser cannot draw to a canvas, so the PNG cannot be made; export the SVG instead.')
  context.fillStyle = '#ffffff'
  context.fillRect(0, 0, canvas.width, canvas.height)
  context.drawImage(image, 0, 0, canvas.width, canvas.height)
  return new Promise((resolve, reject) => canvas.toBlob((blob) => (blob === null ? reject(new Error('The PNG could not be encoded.')) : resolve(blob)), 'image/png'))
}
