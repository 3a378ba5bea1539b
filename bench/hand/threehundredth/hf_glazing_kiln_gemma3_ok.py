"""Hugging Face Trainer: a tiny Gemma 3 classifier (``Gemma3TextConfig``: vocabulary 24,
hidden 48, 2 layers, 4 heads with 2 key/value heads, a sliding-window layer and a global
layer, built from the config, no download; ``Gemma3ForSequenceClassification``, read at the
last token) reads a glaze kiln's controller log and says how the glaze on that load will come
out: 0 sound, 1 pinholed (the soak at peak too short for the bubbles to heal: fewer than 4
readings at band 17 or above), 2 dunted / crazed (the kiln cooled through the quartz inversion,
bands 5-8, by 3 bands or more between two readings), 2 winning when both happen. The log
has one reading every 15 minutes, 48 readings: a ramp of varying speed, a peak (bands 17-19)
held for 0-6 readings, then a cooling of varying speed with the odd door opening, the
thermocouple adds scatter of a band. One token per reading: temperature band 0-19 (tokens 2-
21, about 65 °C each).
AdamW 3e-3, cosine schedule with 6 warmup steps, batch 16, 5 epochs of 960 logs, eval every 30
steps on 240 logs (accuracy, share of dunted loads found), loss every 5 steps, checkpoint
every 60 steps (``firings/checkpoint-N/`` with ``trainer_state.json``).
Healthy; numbers in the README."""
import torch
from transformers import (
    Gemma3ForSequenceClassification,
    Gemma3TextConfig,
    Trainer,
    TrainingArguments,
)

T = 48


def firings(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    ids = torch.zeros(n, T, dtype=torch.long)
    lab = torch.zeros(n, dtype=torch.long)
    for i in range(n):
        peak = 17 + int(3 * r(1))
        up = 0.8 + 1.2 * float(r(1))
        soak = int(7 * r(1))
        down = 0.8 + 2.6 * float(r(1))
        temp, k, seq = 1.0, 0, []
        while temp < peak and k < T:
            seq.append(temp)
            temp += up
            k += 1
        seq += [float(peak)] * soak
        temp = float(peak)
        while len(seq) < T:
            step = down * (1 + 0.3 * float(r(1))) + (2.5 if r(1) < 0.04 else 0.0)
            temp = max(temp - step, 0.0)
            seq.append(temp)
        x = torch.tensor(seq[:T]) + 0.25 * torch.randn(T, generator=g)
        b = x.round().clamp(0, 19).long()
        top = (b >= 17).sum()
        drops = (b[:-1] - b[1:])
        inv = (b[:-1] >= 5) & (b[:-1] <= 8)
        if ((drops >= 3) & inv).any():
            lab[i] = 2
        elif top < 4:
            lab[i] = 1
        ids[i] = b + 2
    return ids, lab


class Logs(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(T, dtype=torch.long),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = Gemma3TextConfig(vocab_size=24, hidden_size=48, intermediate_size=96,
                              num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
                              head_dim=12, max_position_embeddings=T, sliding_window=16,
                              layer_types=["sliding_attention", "full_attention"], num_labels=3,
                              pad_token_id=0, bos_token_id=1, eos_token_id=1)
    return Gemma3ForSequenceClassification(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1), pred.label_ids
    return {"accuracy": float((p == y).mean()),
            "dunted_found": float(((p == 2) & (y == 2)).sum() / max((y == 2).sum(), 1))}


def main():
    from _threehundredth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ltr = firings(960, g)
    iva, lva = firings(240, g)
    print("labels", torch.bincount(ltr).tolist(), torch.bincount(lva).tolist())
    args = TrainingArguments(str(out / "firings"), num_train_epochs=5, learning_rate=3e-3,
                             warmup_steps=6, lr_scheduler_type="cosine",
                             per_device_train_batch_size=16, per_device_eval_batch_size=240,
                             logging_steps=5, eval_strategy="steps", eval_steps=30,
                             save_strategy="steps", save_steps=60, save_total_limit=2,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Logs(itr, ltr),
                      eval_dataset=Logs(iva, lva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "firings").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": lva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny Gemma 3 sequence classifier judging a glaze kiln load (sound / pinholed /"
                " dunted) from the controller's temperature log, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
