"""Hugging Face Trainer: a tiny Nomic BERT token classifier (``NomicBertConfig``:
vocabulary 24, 48 wide, 2 layers, 4 heads, rotary positions, built from the config, no
download; ``NomicBertForTokenClassification``, bidirectional) reads a piccolo part note by
note and marks what the player should pencil in over each note, for a band librarian's
part-marking tool. Tokens 3-22 are the written notes from D5 to A7 in semitones (a
piccolo's useful range, sounding an octave higher), token 2 a rest. Labels per token: 0
nothing, 1 "prepare" (a note in the top register, B6 and up, reached by a leap of more
than a fifth, which needs the air set before it), 2 "alt" (the awkward cross-fingered
pairs: a C#7 or a D7 right after or before an E7 or F7, which want the trill fingering),
3 "breathe" (a rest after at least 10 notes since the last rest). Phrases of 32 tokens
from a random walk with leaps, repeated motifs and rests.
AdamW 5e-3 with linear decay and 20 warmup steps, weight decay 0.05, batch 25, 7 epochs of 700
phrases, eval every 28 steps on 200 phrases (token accuracy, F1 of the "prepare" and "alt"
marks), loss every 7 steps, checkpoint every 28 steps (``markings/checkpoint-N/`` with
``trainer_state.json``).
Healthy; numbers in the README."""
import torch
from transformers import (
    NomicBertConfig,
    NomicBertForTokenClassification,
    Trainer,
    TrainingArguments,
)

T = 32
REST = 2


def phrases(n, g):
    ids = torch.full((n, T), REST, dtype=torch.long)
    lab = torch.zeros(n, T, dtype=torch.long)
    for i in range(n):
        note = 8 + int(torch.randint(0, 8, (1,), generator=g))
        since = 0
        prev = None
        for k in range(T):
            u = torch.rand(1, generator=g).item()
            if u < 0.08 or (since >= 10 and u < 0.4):
                ids[i, k] = REST
                lab[i, k] = 3 if since >= 10 else 0
                since = 0
                prev = None
                continue
            step = int(torch.randint(-2, 3, (1,), generator=g))
            if u > 0.7:
                step = int(torch.randint(-12, 13, (1,), generator=g))
            note = min(max(note + step, 0), 19)
            ids[i, k] = note + 3
            since += 1
            if note >= 14 and prev is not None and abs(note - prev) > 7:
                lab[i, k] = 1
            prev = note
    # the cross-fingered pairs (C#7 = 11, D7 = 12 against E7 = 14, F7 = 15 above D5 = 0)
    notes = ids - 3
    low = (notes == 11) | (notes == 12)
    high = (notes == 14) | (notes == 15)
    pair = torch.zeros_like(low)
    pair[:, 1:] |= (low[:, 1:] & high[:, :-1]) | (high[:, 1:] & low[:, :-1])
    pair[:, :-1] |= (low[:, :-1] & high[:, 1:]) | (high[:, :-1] & low[:, 1:])
    lab[(lab == 0) & pair] = 2
    return ids, lab


class Parts(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(T, dtype=torch.long),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = NomicBertConfig(vocab_size=24, hidden_size=48, num_hidden_layers=2,
                             num_attention_heads=4, intermediate_size=96,
                             max_position_embeddings=T + 8, num_labels=4, pad_token_id=0)
    return NomicBertForTokenClassification(config)


def f1(p, y, k):
    tp = ((p == k) & (y == k)).sum()
    return float(2 * tp / max((p == k).sum() + (y == k).sum(), 1))


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1), pred.label_ids
    return {"token_accuracy": float((p == y).mean()), "f1_prepare": f1(p, y, 1),
            "f1_alt": f1(p, y, 2), "f1_breathe": f1(p, y, 3)}


def main():
    from _threehundredsixteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ltr = phrases(700, g)
    iva, lva = phrases(200, g)
    print("labels", torch.bincount(ltr.flatten(), minlength=4).tolist())
    args = TrainingArguments(str(out / "markings"), num_train_epochs=7, learning_rate=5e-3,
                             warmup_steps=20, lr_scheduler_type="linear", weight_decay=0.05,
                             per_device_train_batch_size=25, per_device_eval_batch_size=200,
                             logging_steps=7, eval_strategy="steps", eval_steps=28,
                             save_strategy="steps", save_steps=28, save_total_limit=2,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Parts(itr, ltr),
                      eval_dataset=Parts(iva, lva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "markings").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": lva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny Nomic BERT token classifier pencilling prepare / alternate-fingering /"
                " breath marks over the notes of a piccolo part, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
