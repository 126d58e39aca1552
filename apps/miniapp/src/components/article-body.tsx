import { Text, View } from '@tarojs/components'
import { parseKnowledgeMarkdown, parseSnippet, type KnowledgeBlock, type KnowledgeSpan } from '@xieshui/core'
import '../features/learn/learn.css'

function Spans({ spans }: { spans: readonly KnowledgeSpan[] }) {
  return (
    <>
      {spans.map((s, i) => (
        <Text key={i} className={`md__span${s.bold ? ' md__span--bold' : ''}${s.italic ? ' md__span--italic' : ''}${s.code ? ' md__span--code' : ''}${s.href ? ' md__span--link' : ''}`} userSelect>
          {s.href ? `${s.text}（${s.href}）` : s.text}
        </Text>
      ))}
    </>
  )
}

function Block({ block }: { block: KnowledgeBlock }) {
  switch (block.type) {
    case 'heading':
      return <View className={`md__h md__h--${block.level}`}><Spans spans={block.spans} /></View>
    case 'paragraph':
      return <View className='md__p'><Spans spans={block.spans} /></View>
    case 'list':
      return (
        <View className='md__list'>
          {block.items.map((item, i) => (
            <View key={i} className='md__item'>
              <Text className='md__marker'>{block.ordered ? `${block.start + i}.` : '•'}</Text>
              <View className='md__itemtext'><Spans spans={item} /></View>
            </View>
          ))}
        </View>
      )
    case 'quote':
      return <View className='md__quote'>{block.blocks.map((b, i) => <Block key={i} block={b} />)}</View>
    case 'code':
      return <View className='md__code'><Text userSelect>{block.text}</Text></View>
    case 'table':
      return (
        <View className='md__table'>
          {[block.header, ...block.rows].map((row, i) => (
            <View key={i} className={`md__row${i === 0 ? ' md__row--head' : ''}`}>
              {row.map((cell, j) => <Text key={j} className='md__cell'>{cell}</Text>)}
            </View>
          ))}
        </View>
      )
    case 'rule':
      return <View className='md__rule' />
  }
}

/**
 * An article's Markdown drawn with the platform's own components from core's safe block structure
 * (parseKnowledgeMarkdown): no HTML from the author ever reaches the page, in WeChat or in H5.
 */
export function ArticleBody({ markdown, id }: { markdown: string; id?: string }) {
  return (
    <View className='md' id={id}>
      {parseKnowledgeMarkdown(markdown).map((b, i) => <Block key={i} block={b} />)}
    </View>
  )
}

/** A search snippet (escaped text with <mark>) drawn as text with the matches highlighted. */
export function SnippetText({ snippet }: { snippet: string }) {
  return (
    <Text className='snippet'>
      {parseSnippet(snippet).map((p, i) => (p.mark ? <Text key={i} className='snippet__mark'>{p.text}</Text> : <Text key={i}>{p.text}</Text>))}
    </Text>
  )
}
