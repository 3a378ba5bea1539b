"""Hugging Face Trainer: a tiny pre-LayerNorm RoBERTa token tagger
(``RobertaPreLayerNormConfig``: vocabulary 20, hidden 32, 2 layers, 4 heads, intermediate 64,
3 labels, built from the config, no download) labels every frame of a lunar occultation
recording of a double star: 0 = both components visible, 1 = one component behind the Moon,
2 = both hidden. 48 frames per event; the target's aperture counts (normalised to the
unocculted level) are quantised to 16 levels and used as tokens (id = level + 3). Components'
brightness ratio 0.2-0.8 (either the bright or the faint one can go first), the two
disappearances 2-25 frames apart, the first one at frame 8-30; a quarter of the events are
reappearances (the same in reverse time); seeing noise 7 % per frame, so
neighbouring levels overlap and the tagger has to use the order of the steps.
AdamW 2e-3, 30 warmup steps then linear decay, batch 32, 8 epochs of 1200 events, eval every 50
steps on 300 events (frame acc, macro F1 over the 3 states), loss every 10 steps, checkpoint
every 50 steps (``frames/checkpoint-N/`` with ``trainer_state.json``).
Healthy; numbers in the README."""
import torch
from transformers import (
    RobertaPreLayerNormConfig,
    RobertaPreLayerNormForTokenClassification,
    Trainer,
    TrainingArguments,
)

FRAMES = 48


def events(n, g):
    t = torch.arange(FRAMES).float()
    ratio = 0.2 + 0.6 * torch.rand(n, 1, generator=g)
    first_bright = torch.rand(n, 1, generator=g) < 0.5
    a = torch.where(first_bright, torch.maximum(ratio, 1 - ratio), torch.minimum(ratio, 1 - ratio))
    t1 = torch.randint(8, 31, (n, 1), generator=g).float()
    t2 = t1 + torch.randint(2, 26, (n, 1), generator=g).float()
    gone1, gone2 = (t >= t1).float(), (t >= t2).float()
    state = (gone1 + gone2).long()
    flux = 1 - a * gone1 - (1 - a) * gone2
    rev = torch.rand(n, generator=g) < 0.25
    flux[rev] = flux[rev].flip(1)
    state[rev] = state[rev].flip(1)
    flux = flux + 0.07 * torch.randn(n, FRAMES, generator=g)
    level = (flux * 15).round().clamp(0, 15).long()
    return level + 3, state


class Recordings(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(FRAMES, dtype=torch.long),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = RobertaPreLayerNormConfig(vocab_size=20, hidden_size=32, num_hidden_layers=2,
                                       num_attention_heads=4, intermediate_size=64,
                                       max_position_embeddings=FRAMES + 4, pad_token_id=1,
                                       type_vocab_size=1, num_labels=3)
    return RobertaPreLayerNormForTokenClassification(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1).reshape(-1), pred.label_ids.reshape(-1)
    f1s = []
    for k in range(3):
        tp = ((p == k) & (y == k)).sum()
        f1s.append(2 * tp / max(1, (p == k).sum() + (y == k).sum()))
    return {"frame_acc": float((p == y).mean()), "macro_f1": float(sum(f1s) / 3)}


def main():
    from _twohundredseventyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ltr = events(1200, g)
    iva, lva = events(300, g)
    print("state shares", torch.bincount(ltr.reshape(-1), minlength=3) / ltr.numel())
    args = TrainingArguments(str(out / "frames"), num_train_epochs=8, learning_rate=2e-3,
                             weight_decay=0.01, warmup_steps=30, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=300,
                             logging_steps=10, eval_strategy="steps", eval_steps=50,
                             save_strategy="steps", save_steps=50, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Recordings(itr, ltr),
                      eval_dataset=Recordings(iva, lva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "frames").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": lva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny pre-LN RoBERTa tagging the frames of double-star lunar occultations, HF"
                " Trainer (healthy)")


if __name__ == "__main__":
    main()
