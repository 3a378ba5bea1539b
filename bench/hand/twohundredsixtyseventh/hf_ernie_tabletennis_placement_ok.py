"""Hugging Face Trainer: a tiny ERNIE token tagger (``ErnieConfig``: vocabulary 14, hidden 32, 2
layers, 4 heads, intermediate 64, 2 labels, built from the config, no download) marks which
strokes of a table tennis rally were "switch" placements, as a club coach tags them by hand in
the match video: a long ball into either wide channel in a rally where the players have been
pinned short (6 or more short balls in the rally), i.e. the long wide ball that breaks the
short game. Each stroke of a 20-stroke
rally is a token: its landing zone on a 3×3 grid (short/half-long/long × forehand/middle/
backhand), token id zone + 4 (row-start 1, padding 0). No dropout.
``ErnieForTokenClassification``, AdamW 5e-3, 20 warmup steps then linear decay, batch 32,
24 epochs of 640 rallies, eval every 40 steps on 160 rallies (token acc, switch F1), loss every
10 steps, checkpoint every 100 steps (the last one kept).
Healthy; numbers in the README."""
import numpy as np
import torch
from transformers import ErnieConfig, ErnieForTokenClassification, Trainer, TrainingArguments

N_STROKE = 20
START = 1


def rallies(n, g):
    depth = torch.multinomial(torch.tensor([0.25, 0.3, 0.45]), n * N_STROKE, replacement=True,
                              generator=g).view(n, N_STROKE)
    side = torch.multinomial(torch.tensor([0.4, 0.2, 0.4]), n * N_STROKE, replacement=True,
                             generator=g).view(n, N_STROKE)
    zone = depth * 3 + side
    short = (depth == 0).sum(1, keepdim=True)
    switch = (depth == 2) & (side != 1) & (short >= 6)
    ids = torch.cat([torch.full((n, 1), START), zone + 4], 1)
    labels = torch.cat([torch.full((n, 1), -100), switch.long()], 1)
    return ids, labels


class Rallies(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(N_STROKE + 1, dtype=torch.long),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = ErnieConfig(vocab_size=14, hidden_size=32, num_hidden_layers=2,
                         num_attention_heads=4, intermediate_size=64,
                         max_position_embeddings=32, type_vocab_size=1, num_labels=2,
                         pad_token_id=0, hidden_dropout_prob=0.0,
                         attention_probs_dropout_prob=0.0)
    return ErnieForTokenClassification(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    y = pred.label_ids
    p = logits.argmax(-1)
    m = y != -100
    tp = float(((p == 1) & (y == 1) & m).sum())
    f1 = 2 * tp / max(float(((p == 1) & m).sum() + ((y == 1) & m).sum()), 1.0)
    return {"tok_acc": float((p[m] == y[m]).mean()), "switch_f1": f1}


def main():
    from _twohundredsixtyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ltr = rallies(640, g)
    iva, lva = rallies(160, g)
    print("switch share", float(np.mean((ltr[:, 1:] == 1).numpy())))
    args = TrainingArguments(str(out / "placement"), num_train_epochs=24, learning_rate=5e-3,
                             weight_decay=0.01, warmup_steps=20, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=160,
                             logging_steps=10, eval_strategy="steps", eval_steps=40,
                             save_strategy="steps", save_steps=100, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Rallies(itr, ltr),
                      eval_dataset=Rallies(iva, lva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "placement").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "attention_mask": torch.ones(64, N_STROKE + 1,
                                                                             dtype=torch.long),
                           "targets": lva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny ERNIE token tagger marking switch placements in table tennis rallies,"
                " HF Trainer (healthy)")


if __name__ == "__main__":
    main()
