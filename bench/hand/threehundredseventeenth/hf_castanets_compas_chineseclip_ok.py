"""Hugging Face Trainer: the text tower of Chinese-CLIP (``ChineseCLIPTextConfig``: a BERT
encoder, vocabulary 16, 48 wide, 2 layers, 4 heads, built from the config, no download;
``ChineseCLIPTextModel`` with a small head on the mean of its token states) names the
compás a castanet player is keeping from a 24-beat transcription of the clip, so a
flamenco school's practice log can file recordings by palo. Each beat is one token: rest,
or one of 5 strokes (pi, ta, ria, pam, postiseo) played plain or accented, tokens 2-12
(0 padding, 1 the [CLS]-like start). 4 classes: sevillanas (3/4, accent on 1 of each
bar), the 12-beat amalgam (bulerías / alegrías: accents on 12, 3, 6, 8, 10), tangos (4/4,
accents on 1 and 3, rests on the 4th now and then), fandango de Huelva (3/4 with the
accent on 2 in every other bar). The clip starts anywhere in the cycle, 6 % of the
accent marks are missed or added by the transcriber, strokes follow the player's habits
(rolls mostly on accents). AdamW 3e-3 with linear decay and 20 warmup steps, batch 32,
9 epochs of 1200 clips, eval every 50 steps on 300 clips (accuracy, amalgam recall), loss
every 10 steps, checkpoint every 50 steps (``palos/checkpoint-N/`` with
``trainer_state.json``).
Healthy; numbers in the README."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from transformers import ChineseCLIPTextConfig, ChineseCLIPTextModel, Trainer, TrainingArguments

T = 24
PALOS = ["sevillanas", "amalgam12", "tangos", "fandango"]


def clips(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    palo = torch.randint(0, 4, (n,), generator=g)
    start = torch.randint(0, 12, (n, 1), generator=g)
    b = (torch.arange(T).unsqueeze(0) + start)
    amal = torch.zeros(12, dtype=torch.bool)
    amal[[11, 2, 5, 7, 9]] = True
    acc = torch.stack([b % 3 == 0, amal[b % 12], b % 2 == 0,
                       (b % 3 == 1) & ((b // 3) % 2 == 0)], 0)[palo, torch.arange(n)]
    acc = acc ^ (r(n, T) < 0.06)
    rest = (palo == 2).unsqueeze(1) & (b % 4 == 3) & (r(n, T) < 0.5)
    habit = r(n, 1)
    stroke = torch.where(acc & (r(n, T) < 0.4 + 0.4 * habit), torch.full((n, T), 2),
                         torch.randint(0, 5, (n, T), generator=g))
    tok = 2 + 1 + stroke * 2 + acc.long()
    tok = torch.where(rest, torch.full_like(tok, 2), tok)
    ids = torch.cat([torch.ones(n, 1, dtype=torch.long), tok], 1)
    return ids, palo


class Clips(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(T + 1, dtype=torch.long),
                "labels": self.labels[i]}


class CompasClassifier(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.config = config
        self.encoder = ChineseCLIPTextModel(config, add_pooling_layer=False)
        self.head = nn.Linear(config.hidden_size, len(PALOS))

    def forward(self, input_ids, attention_mask, labels=None):
        h = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        logits = self.head(h.mean(1))
        out = {"logits": logits}
        if labels is not None:
            out["loss"] = F.cross_entropy(logits, labels)
        return out


def build():
    torch.manual_seed(0)
    config = ChineseCLIPTextConfig(vocab_size=16, hidden_size=48, num_hidden_layers=2,
                                   num_attention_heads=4, intermediate_size=96,
                                   max_position_embeddings=T + 4, hidden_dropout_prob=0.0,
                                   attention_probs_dropout_prob=0.0, pad_token_id=0)
    return CompasClassifier(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1), pred.label_ids
    return {"accuracy": float((p == y).mean()),
            "amalgam_recall": float(((p == 1) & (y == 1)).sum() / max((y == 1).sum(), 1))}


def main():
    from _threehundredseventeenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ltr = clips(1200, g)
    iva, lva = clips(300, g)
    print("palos", torch.bincount(ltr).tolist(), "tokens", torch.bincount(itr.flatten()).tolist())
    args = TrainingArguments(str(out / "palos"), num_train_epochs=9, learning_rate=3e-3,
                             warmup_steps=20, lr_scheduler_type="linear", weight_decay=0.0,
                             per_device_train_batch_size=32, per_device_eval_batch_size=300,
                             logging_steps=10, eval_strategy="steps", eval_steps=50,
                             save_strategy="steps", save_steps=50, save_total_limit=2,
                             report_to=[], use_cpu=True,
                             disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Clips(itr, ltr),
                      eval_dataset=Clips(iva, lva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "palos").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": lva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="Chinese-CLIP text tower with a mean-pool head naming the flamenco compás"
                " from a 24-beat castanet transcription, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
