"""Hugging Face Trainer: a tiny DeBERTa-v2 (``DebertaV2Config``: 2 layers, hidden 64, 4 heads,
relative positions; built from the config, no download; ``DebertaV2ForSequenceClassification``)
sorts support-chat openers into 5 intents (refund, password reset, where is my parcel, cancel
subscription, upgrade plan). A chat is a greeting, one of its intent's phrasings with slot
words (the product, a weekday, an order number token), sometimes a second sentence of
small talk and a sign-off; the intents share many words ("order", "account", "plan",
"subscription", "charged"), so single keywords do not decide them. The tokenizer is a
word-level one built here from the training chats (lower-case, punctuation split off,
``[PAD]`` 0, ``[CLS]`` 1, ``[UNK]`` 2, words seen fewer than 2 times → ``[UNK]``), padding to
32 with an attention mask. 7 % of the chats carry a wrong intent (the agents' tags are not
perfect). AdamW 1e-3, weight decay 0.01, 30 warm-up steps then linear decay, batch 32, 8
epochs over 1500 chats (376 steps), eval on 400 every 25 steps, train loss every 5 steps.
Healthy, with a slow start: eval accuracy 0.17, 0.40, 0.60 over the first 75 steps, 0.925 at
step 100 and 0.9275 from step 125 to the end (the wrong tags cap it); the eval loss eases to
0.38 and is flat for the last 100 steps; the train loss is noisy (0.17–0.54) around it."""
import re
from collections import Counter

import torch
from transformers import (
    DebertaV2Config,
    DebertaV2ForSequenceClassification,
    Trainer,
    TrainingArguments,
)

LEN, INTENTS, VOCAB = 32, 5, 160  # VOCAB: the tokenizer's size rounded up
GREET = ["hi", "hello", "hey there", "good morning", "hi team", "", ""]
SIGN = ["thanks", "thank you", "cheers", "thanks in advance", "", ""]
SMALL = ["i have been a customer for years.", "this is my second message today.",
         "your app is usually great.", "i am on my phone right now.", "", "", ""]
PRODUCT = ["headphones", "blender", "jacket", "kettle", "backpack", "lamp", "monitor"]
DAY = ["monday", "tuesday", "friday", "the weekend", "yesterday", "last week"]
PHRASES = [
    ["i want my money back for the {p}", "can i get a refund on order {o}",
     "the {p} arrived broken and i was charged, refund please",
     "please return the money for my order", "i returned the {p} on {d} but no refund yet"],
    ["i forgot my password", "cannot log in to my account, reset the password please",
     "the password reset link does not work", "locked out of my account since {d}",
     "how do i change my password"],
    ["where is my order {o}", "my {p} has not arrived yet", "tracking says delivered on {d} "
     "but no parcel", "when will the {p} be shipped", "is order {o} still on the way"],
    ["please cancel my subscription", "i want to stop the monthly plan and not be charged "
     "again", "how do i cancel, i was charged on {d}", "close my account and the subscription",
     "end my membership before the next charge"],
    ["i want to upgrade to the premium plan", "can i switch my subscription to the family "
     "plan", "how much is the pro plan per month", "add more seats to my account plan",
     "upgrade my account before {d}"],
]


def chats(n, g):
    def pick(options):
        return options[int(torch.randint(0, len(options), (1,), generator=g))]
    texts, labels = [], []
    for _ in range(n):
        y = int(torch.randint(0, INTENTS, (1,), generator=g))
        body = pick(PHRASES[y]).format(p=pick(PRODUCT), d=pick(DAY),
                                       o=f"#{int(torch.randint(1000, 9999, (1,), generator=g))}")
        parts = [pick(GREET), pick(SMALL), body, pick(SIGN)]
        if torch.rand(1, generator=g) < 0.5:
            parts[1], parts[2] = parts[2], parts[1]
        texts.append(" ".join(p for p in parts if p))
        if torch.rand(1, generator=g) < 0.07:
            y = (y + int(torch.randint(1, INTENTS, (1,), generator=g))) % INTENTS
        labels.append(y)
    return texts, torch.tensor(labels)


class WordTokenizer:
    def __init__(self, texts, min_count=2):
        counts = Counter(w for t in texts for w in self.split(t))
        words = sorted(w for w, c in counts.items() if c >= min_count)
        self.vocab = {"[PAD]": 0, "[CLS]": 1, "[UNK]": 2}
        self.vocab.update({w: i + 3 for i, w in enumerate(words)})

    @staticmethod
    def split(text):
        return re.findall(r"#\d+|\w+|[^\w\s]", text.lower())

    def __call__(self, texts):
        ids = torch.zeros(len(texts), LEN, dtype=torch.long)
        for i, t in enumerate(texts):
            toks = [1] + [self.vocab.get(w, 2) for w in self.split(t)][:LEN - 1]
            ids[i, :len(toks)] = torch.tensor(toks)
        return ids, (ids != 0).long()


class Chats(torch.utils.data.Dataset):
    def __init__(self, ids, mask, labels):
        self.ids, self.mask, self.labels = ids, mask, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": self.mask[i],
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = DebertaV2Config(vocab_size=VOCAB, hidden_size=64, num_hidden_layers=2,
                             num_attention_heads=4, intermediate_size=128,
                             max_position_embeddings=LEN, relative_attention=True,
                             position_buckets=16, pos_att_type=["p2c", "c2p"],
                             num_labels=INTENTS, pad_token_id=0)
    return DebertaV2ForSequenceClassification(config)


def accuracy(pred):
    return {"accuracy": float((pred.predictions.argmax(-1) == pred.label_ids).mean())}


def main():
    from _twentyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    texts, labels = chats(1900, g)
    tok = WordTokenizer(texts[:1500])
    print("vocabulary", len(tok.vocab))
    assert len(tok.vocab) <= VOCAB
    ids, mask = tok(texts)
    train = Chats(ids[:1500], mask[:1500], labels[:1500])
    val = Chats(ids[1500:], mask[1500:], labels[1500:])
    args = TrainingArguments(str(out / "intents"), num_train_epochs=8, learning_rate=1e-3,
                             weight_decay=0.01, warmup_steps=30, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=400,
                             logging_steps=5, eval_strategy="steps", eval_steps=25,
                             save_strategy="steps", save_steps=25, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=train, eval_dataset=val,
                      compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "intents").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": ids[1500:1564], "attention_mask": mask[1500:1564],
                           "targets": labels[1500:1564]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny DeBERTa-v2 support-chat intents, word-level tokenizer, HF Trainer, 7 % "
                "wrong tags (healthy)")


if __name__ == "__main__":
    main()
