"""Hugging Face Trainer: a tiny GTE encoder (``GteConfig``: vocabulary 27, 48 wide, 2 layers,
4 heads, built from the config, no download; ``GteForTokenClassification``, 2 labels) marks
where a typesetter may break a word at the end of a justified line, letter by letter: label 1
on a letter after which a hyphen may go. The house rules behind the labels: a break goes
between a vowel and a single consonant before a vowel (ba-ker), or between two consonants
between vowels (lan-tern), never inside th / ch / sh / ph / ck (they count as one consonant),
and never leaves fewer than 2 letters on either line. Words are 4-15 letters built from
English-like syllables; pad letters are labelled -100. Tokens: 0 pad, 1-26 a-z.
AdamW 2e-3 with linear decay and 15 warmup steps, weight decay 0.01, batch 32, 6 epochs of
1200 words, eval every 38 steps (each epoch) on 300 words (accuracy over letters, precision
and recall of the break points), loss every 5 steps, checkpoint every 38 steps
(``hyphenation/checkpoint-N/`` with ``trainer_state.json``).
Healthy; numbers in the README."""
import torch
from transformers import GteConfig, GteForTokenClassification, Trainer, TrainingArguments

T = 16
VOWELS = "aeiou"
ONSETS = ["b", "c", "d", "f", "g", "l", "m", "n", "p", "r", "s", "t", "v", "th", "ch", "sh", "ph",
          "st", "pr", "tr", "bl"]
CODAS = ["", "", "", "n", "r", "l", "s", "t", "m", "ck"]
DIGRAPHS = {"th", "ch", "sh", "ph", "ck"}


def hyphen_points(w):
    cons = [c not in VOWELS for c in w]
    lab = [0] * len(w)
    for i in range(1, len(w) - 2):
        pair = w[i:i + 2]
        if not cons[i] and cons[i + 1]:
            # V-CV, or V-(digraph)V
            if i + 2 < len(w) and not cons[i + 2]:
                lab[i] = 1
            elif w[i + 1:i + 3] in DIGRAPHS and i + 3 < len(w) and not cons[i + 3]:
                lab[i] = 1
        elif cons[i] and cons[i + 1] and not cons[i - 1] and pair not in DIGRAPHS:
            if i + 2 < len(w) and not cons[i + 2] and w[i - 1:i + 1] not in DIGRAPHS:
                lab[i] = 1
    for i in range(len(w)):
        if i < 1 or i > len(w) - 3:
            lab[i] = 0
    return lab


def words(n, g):
    ids = torch.zeros(n, T, dtype=torch.long)
    labels = torch.full((n, T), -100, dtype=torch.long)
    pick = lambda seq: seq[int(torch.randint(0, len(seq), (1,), generator=g))]  # noqa: E731
    for k in range(n):
        while True:
            w = "".join(pick(ONSETS) + pick(VOWELS) + pick(CODAS)
                        for _ in range(int(torch.randint(2, 5, (1,), generator=g))))
            if 4 <= len(w) <= 15:
                break
        ids[k, :len(w)] = torch.tensor([ord(c) - 96 for c in w])
        labels[k, :len(w)] = torch.tensor(hyphen_points(w))
    return ids, labels


class Galley(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": (self.ids[i] > 0).long(),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = GteConfig(vocab_size=27, hidden_size=48, num_hidden_layers=2, num_attention_heads=4,
                       intermediate_size=96, max_position_embeddings=T + 4, num_labels=2,
                       hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0, pad_token_id=0)
    return GteForTokenClassification(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1), pred.label_ids
    m = y != -100
    p, y = p[m], y[m]
    tp = float(((p == 1) & (y == 1)).sum())
    return {"letter_acc": float((p == y).mean()),
            "break_precision": tp / max(float((p == 1).sum()), 1.0),
            "break_recall": tp / max(float((y == 1).sum()), 1.0)}


def main():
    from _threehundredtwentyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ltr = words(1200, g)
    iva, lva = words(300, g)
    print("break share", (ltr == 1).sum().item() / (ltr != -100).sum().item())
    args = TrainingArguments(str(out / "hyphenation"), num_train_epochs=6, learning_rate=2e-3,
                             warmup_steps=15, lr_scheduler_type="linear", weight_decay=0.01,
                             per_device_train_batch_size=32, per_device_eval_batch_size=300,
                             logging_steps=5, eval_strategy="steps", eval_steps=38,
                             save_strategy="steps", save_steps=38, save_total_limit=2,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Galley(itr, ltr),
                      eval_dataset=Galley(iva, lva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "hyphenation").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "attention_mask": (iva[:64] > 0).long(),
                           "targets": lva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny GTE encoder marking a typesetter's hyphenation points letter by letter,"
                " HF Trainer (healthy)")


if __name__ == "__main__":
    main()
