"""Hugging Face Trainer: a tiny RemBERT token tagger (``RemBertConfig``: vocabulary 48, input
embeddings 32, hidden 64, 2 layers, 4 heads, FFN 128, built from the config, no download;
``RemBertForTokenClassification``) writes the piston combination over every note of a B♭
cornet part, for a brass band's beginners' parts: 8 tags, open, 2, 1, 1+2, 2+3, 1+3, 1+2+3, and
3 (the alternate for 1+2). The combination comes from the open-tube partials (written C4, G4,
C5, E5, G5, C6): a note takes the nearest partial at or above it and the pistons that lower it
by the gap (one semitone 2, two 1, three 1+2, four 2+3, five 1+3, six 1+2+3). The band's teachers
write 3 instead of 1+2 when the note before or after already uses the third piston (a smoother
slide of the fingers), so the tag depends on the neighbours.
Phrases of 32 written notes (F♯3 to C6, a walk of steps and small leaps), one token per note;
AdamW 3e-3, cosine decay with 20 warmup steps, batch 32, 4 epochs of 1200 phrases, eval every
50 steps on 300 phrases (token accuracy, recall of the alternate 3), loss every 10 steps,
checkpoint every 50 steps (``pistons/checkpoint-N/`` with ``trainer_state.json``).
Healthy; numbers in the README."""
import math

import torch
from transformers import (
    RemBertConfig,
    RemBertForTokenClassification,
    Trainer,
    TrainingArguments,
)

L = 32
PARTIALS = torch.tensor([60, 67, 72, 76, 79, 84])
PISTONS = ["open", "2", "1", "1+2", "2+3", "1+3", "1+2+3", "3"]


def phrases(n, g):
    steps = torch.tensor([-4, -3, -2, -1, 1, 2, 3, 4, 5, -5, 0])
    start = 58 + torch.randint(0, 20, (n, 1), generator=g)
    walk = steps[torch.randint(0, len(steps), (n, L - 1), generator=g)]
    pitch = torch.cat([start, start + torch.cumsum(walk, 1)], 1)
    pitch = torch.where(pitch > 84, 168 - pitch, pitch)
    pitch = torch.where(pitch < 54, 108 - pitch, pitch).clamp(54, 84)
    above = PARTIALS.view(1, 1, -1) >= pitch.unsqueeze(2)
    part = torch.where(above, PARTIALS.view(1, 1, -1), 999).amin(2)
    tag = part - pitch
    third = (tag >= 4)
    nb = torch.zeros_like(third)
    nb[:, 1:] |= third[:, :-1]
    nb[:, :-1] |= third[:, 1:]
    tag = torch.where((tag == 3) & nb, 7, tag)
    return pitch - 50, tag


class Parts(torch.utils.data.Dataset):
    def __init__(self, ids, tags):
        self.ids, self.tags = ids, tags

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(L, dtype=torch.long),
                "labels": self.tags[i]}


def build():
    torch.manual_seed(0)
    config = RemBertConfig(vocab_size=48, input_embedding_size=32, output_embedding_size=32,
                           hidden_size=64, num_hidden_layers=2, num_attention_heads=4,
                           intermediate_size=128, max_position_embeddings=64,
                           hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0,
                           classifier_dropout_prob=0.0, num_labels=8, pad_token_id=0)
    return RemBertForTokenClassification(config)


def metrics(pred):
    p, y = pred.predictions.argmax(-1), pred.label_ids
    return {"token_accuracy": float((p == y).mean()),
            "recall_alt3": float((p[y == 7] == 7).mean()),
            "phrase_exact": float((p == y).all(1).mean())}


def main():
    from _twohundredeightyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ttr = phrases(1200, g)
    iva, tva = phrases(300, g)
    print("tag shares", torch.bincount(ttr.flatten(), minlength=8) / ttr.numel())
    print("steps", 4 * math.ceil(1200 / 32))
    args = TrainingArguments(str(out / "pistons"), num_train_epochs=4, learning_rate=3e-3,
                             weight_decay=0.01, warmup_steps=20, lr_scheduler_type="cosine",
                             per_device_train_batch_size=32, per_device_eval_batch_size=300,
                             logging_steps=10, eval_strategy="steps", eval_steps=50,
                             save_strategy="steps", save_steps=50, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Parts(itr, ttr),
                      eval_dataset=Parts(iva, tva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "pistons").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": tva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny RemBERT token tagger writing cornet piston combinations, HF Trainer"
                " (healthy)")


if __name__ == "__main__":
    main()
