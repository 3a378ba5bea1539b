"""Hugging Face Trainer: a tiny LXMERT (``LxmertConfig``: vocabulary 16, hidden 32, 1 language
/ 1 cross-modality / 1 object layer, 4 heads, 3 answer labels, built from the config, no
download) grades a beachcomber's lot of 6 sea glass shards for a jewellery maker: "craft"
(ordinary white/brown/green), "select" or "rare". Each shard is an object with an 8-number
measurement vector (hue, saturation, lightness, surface matte index, thickness, roundness,
size, UV fluorescence) and a 4-number tray position; 8 word tokens describe where and how it
was picked (beach, season, after-storm, tide, sorted-by), after a [CLS] token. The grade
follows a dealer's rule of thumb: the lot's mean of (matte index + roundness + 0.5 for a
cobalt/red hue) plus 0.15 if it was picked after a storm, cut at 1.05 and 1.25.
AdamW 2e-3 with cosine decay and 10 warm-up steps, batch 32, 10 epochs of 800 lots, eval every
25 steps on 200 lots (accuracy), loss logged every 5 steps, a checkpoint every 125 steps.
Healthy: eval accuracy 0.275 → 0.73 (noisy: 0.625 at step 75, 0.54 at 100-125), eval loss
1.12 → 0.59; lots near the cut points stay hard. Log: ``grading/checkpoint-250/
trainer_state.json``."""
import torch
from transformers import LxmertConfig, LxmertForQuestionAnswering, Trainer, TrainingArguments

N_OBJ, N_TOK = 6, 8


def lots(n, g):
    feats = torch.rand(n, N_OBJ, 8, generator=g)
    pos = torch.rand(n, N_OBJ, 4, generator=g)
    ids = torch.randint(2, 16, (n, N_TOK), generator=g)
    ids[:, 0] = 1  # [CLS]
    storm = (ids == 7).any(1).float()
    tumble = feats[:, :, 3] + feats[:, :, 5] + 0.5 * (feats[:, :, 0] > 0.8).float()
    value = tumble.mean(1) + 0.15 * storm
    y = (value > 1.05).long() + (value > 1.25).long()
    return ids, feats, pos, y


class Lots(torch.utils.data.Dataset):
    def __init__(self, ids, feats, pos, y):
        self.ids, self.feats, self.pos, self.y = ids, feats, pos, y

    def __len__(self):
        return len(self.y)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(N_TOK, dtype=torch.long),
                "visual_feats": self.feats[i], "visual_pos": self.pos[i], "labels": self.y[i]}


def build():
    torch.manual_seed(0)
    config = LxmertConfig(vocab_size=16, hidden_size=32, num_attention_heads=4,
                          intermediate_size=64, l_layers=1, x_layers=1, r_layers=1,
                          visual_feat_dim=8, visual_pos_dim=4, num_qa_labels=3,
                          max_position_embeddings=16)
    return LxmertForQuestionAnswering(config)


def accuracy(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    return {"acc": float((logits.argmax(-1) == pred.label_ids).mean())}


def main():
    from _twohundredfiftyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    tr = lots(800, g)
    va = lots(200, g)
    print("grade shares", torch.bincount(tr[3], minlength=3).tolist(),
          torch.bincount(va[3], minlength=3).tolist())
    args = TrainingArguments(str(out / "grading"), num_train_epochs=10, learning_rate=2e-3,
                             weight_decay=0.01, lr_scheduler_type="cosine", warmup_steps=10,
                             per_device_train_batch_size=32, per_device_eval_batch_size=200,
                             logging_steps=5, eval_strategy="steps", eval_steps=25,
                             save_strategy="steps", save_steps=125, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Lots(*tr), eval_dataset=Lots(*va),
                      compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "grading").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": va[0][:64], "visual_feats": va[1][:64],
                           "visual_pos": va[2][:64], "targets": va[3][:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny LXMERT grading sea glass lots from shard measurements and pick-up"
                " tokens, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
